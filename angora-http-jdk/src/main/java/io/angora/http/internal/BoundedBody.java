package io.angora.http.internal;

import io.angora.http.HttpException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/** Reads a request body up to a limit, refusing a larger one with 413. Stateless. */
final class BoundedBody {
  private BoundedBody() {}

  /**
   * Reads the body.
   *
   * @param contentLength the {@code Content-Length} header, or null (chunked)
   * @param in the body stream
   * @param max the most bytes accepted
   * @return the body
   * @throws HttpException 413 when the declared or actual length is over the limit, 400 for a
   *     malformed length
   * @throws IOException when reading fails
   */
  static byte[] read(@Nullable String contentLength, InputStream in, int max) throws IOException {
    if (contentLength != null) {
      long declared;
      try {
        declared = Long.parseLong(contentLength.trim());
      } catch (NumberFormatException e) {
        throw new HttpException(400, "malformed Content-Length");
      }
      if (declared > max) {
        throw tooLarge(max);
      }
    }
    // Count while reading too: a chunked body declares no length.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      total += n;
      if (total > max) {
        throw tooLarge(max);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static HttpException tooLarge(int max) {
    return new HttpException(413, "request body over the limit of " + max + " bytes");
  }
}
