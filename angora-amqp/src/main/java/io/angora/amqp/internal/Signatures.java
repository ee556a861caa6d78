package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the traffic between the coordinator and the workers (jobs, job events,
 * cancellations, claims) with HMAC-SHA256 under the installation's shared key.
 *
 * <p>The signature covers the version, the exchange and routing key the item was published to
 * (so a job cannot be passed off as an outcome, nor one installation's item as another's), the
 * signing instant and the whole body. It travels in header {@value #HEADER} as
 * {@code v1:<signed-at epoch millis>:<base64url MAC>}; no other header is trusted by a reader.
 * A reader refuses an item that is unsigned, whose MAC differs (compared in constant time),
 * that was signed longer ago than the validity (so an old capture cannot be replayed later), or
 * more than {@link #FUTURE_TOLERANCE} in the future.
 *
 * <p>Thread-safe: each thread uses its own clone of the initialised {@link Mac}.
 */
public final class Signatures {
  /** The header carrying the signature. */
  public static final String HEADER = "angora-signature";
  /** The shortest key accepted, in bytes. */
  public static final int MIN_KEY_BYTES = 32;
  /** How far in the future a signing instant may lie (clock skew between hosts). */
  public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
  private static final String ALGORITHM = "HmacSHA256";
  private static final String VERSION = "v1";
  private static final byte[] DOMAIN = "angora-signature-v1\n".getBytes(StandardCharsets.UTF_8);
  private static final int MAX_HEADER_CHARS = 100;

  private final SecretKeySpec secret;
  private final Mac prototype;
  private final ThreadLocal<Mac> macs;
  private final Duration validity;
  private final Clock clock;

  /**
   * Creates signatures under a key.
   *
   * @param key the shared key, at least {@value #MIN_KEY_BYTES} bytes
   * @param validity how long after signing an item is accepted
   * @param clock for signing instants and expiry
   * @throws IllegalArgumentException for a key that is too short
   */
  public Signatures(byte[] key, Duration validity, Clock clock) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the shared key is " + key.length + " bytes; at least "
          + MIN_KEY_BYTES + " are needed (make one with: head -c 32 /dev/urandom > angora.key)");
    }
    secret = new SecretKeySpec(key, ALGORITHM);
    try {
      prototype = Mac.getInstance(ALGORITHM);
      prototype.init(secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e, e);
    }
    this.macs = ThreadLocal.withInitial(this::copy);
    this.validity = validity;
    this.clock = clock;
  }

  private Mac copy() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      try {
        // Not every provider clones; then a fresh instance, once per thread.
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(secret);
        return mac;
      } catch (GeneralSecurityException g) {
        throw new IllegalStateException("HMAC-SHA256 is not available: " + g, g);
      }
    }
  }

  /**
   * The properties with a signature of the item added.
   *
   * @param properties the item's properties
   * @param exchange the exchange it is published to ("" for the default one)
   * @param routingKey its routing key
   * @param body its body
   * @return a copy of the properties with header {@value #HEADER}
   */
  public AMQP.BasicProperties sign(AMQP.BasicProperties properties, String exchange,
      String routingKey, byte[] body) {
    long signedAt = clock.millis();
    String value = VERSION + ":" + signedAt + ":"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(
            mac(exchange, routingKey, signedAt, body));
    Map<String, Object> headers = properties.getHeaders() == null ? new HashMap<>(2)
        : new HashMap<>(properties.getHeaders());
    headers.put(HEADER, value);
    return properties.builder().headers(headers).build();
  }

  /**
   * Checks a delivery's signature.
   *
   * @param envelope where it was published
   * @param properties its properties
   * @param body its body
   * @throws MalformedDeliveryException saying why it is refused: unsigned, forged or tampered
   *     (or signed with another key), expired, or signed in the future
   */
  public void verify(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    Object header = properties.getHeaders() == null ? null
        : properties.getHeaders().get(HEADER);
    if (header == null) {
      throw new MalformedDeliveryException("unsigned: no " + HEADER + " header, and this "
          + "installation signs its traffic with a shared key");
    }
    String value = header instanceof LongString s ? s.toString()
        : header instanceof String s ? s : null;
    if (value == null || value.length() > MAX_HEADER_CHARS) {
      throw new MalformedDeliveryException("header " + HEADER + " is not a signature");
    }
    String[] parts = value.split(":", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw new MalformedDeliveryException("header " + HEADER + " is not a " + VERSION
          + " signature");
    }
    long signedAt;
    byte[] claimed;
    try {
      signedAt = Long.parseLong(parts[1]);
      claimed = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new MalformedDeliveryException("header " + HEADER + " is not a signature", e);
    }
    byte[] expected = mac(envelope.getExchange(), envelope.getRoutingKey(), signedAt, body);
    if (!MessageDigest.isEqual(expected, claimed)) {
      throw new MalformedDeliveryException("forged: the signature does not match (tampered, "
          + "signed with another key, or published to another queue than it was signed for)");
    }
    // Checked after the MAC, so the signing instant is known to be the signer's own.
    long now = clock.millis();
    if (signedAt > now + FUTURE_TOLERANCE.toMillis()) {
      throw new MalformedDeliveryException("signed at " + Instant.ofEpochMilli(signedAt)
          + ", in the future (clocks more than " + FUTURE_TOLERANCE.toMinutes() + " min apart?)");
    }
    if (now - signedAt > validity.toMillis()) {
      throw new MalformedDeliveryException("expired: signed at " + Instant.ofEpochMilli(signedAt)
          + ", valid for " + validity);
    }
  }

  private byte[] mac(String exchange, String routingKey, long signedAt, byte[] body) {
    Mac mac = macs.get();
    mac.update(DOMAIN);
    mac.update(field(exchange));
    mac.update(field(routingKey));
    mac.update(field(Long.toString(signedAt)));
    mac.update(body);
    return mac.doFinal();
  }

  /** A length-prefixed field, so that no two different tuples give the same input. */
  private static byte[] field(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + 4];
    out[0] = (byte) (bytes.length >>> 24);
    out[1] = (byte) (bytes.length >>> 16);
    out[2] = (byte) (bytes.length >>> 8);
    out[3] = (byte) bytes.length;
    System.arraycopy(bytes, 0, out, 4, bytes.length);
    return out;
  }
}
