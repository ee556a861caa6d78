package io.angora.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@code Authorization: Bearer <token>} headers. Compares SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken tells nothing about the token, not even its
 * length. Immutable, thread-safe.
 */
public final class Auth {
  private final byte @Nullable [] expected;

  /**
   * Creates the check.
   *
   * @param token the token required, or null to let every request through
   */
  public Auth(@Nullable String token) {
    this.expected = token == null ? null : digest(token);
  }

  /** Whether a token is required at all. */
  public boolean required() {
    return expected != null;
  }

  /**
   * Checks a request's {@code Authorization} header.
   *
   * @param authorization the header's value, or null when absent
   * @return true when no token is required or the header carries it
   */
  public boolean accepts(@Nullable String authorization) {
    if (expected == null) {
      return true;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(expected, digest(authorization.substring(7).trim()));
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
