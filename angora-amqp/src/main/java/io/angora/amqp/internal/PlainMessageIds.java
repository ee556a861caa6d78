package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The id of a message that a plain AMQP client published without one (no
 * {@code angora-message-id} header, no {@code message-id} property), derived from the delivery so
 * that every delivery of the message gets the same id: a digest of its body and of every property
 * and header the client set. Derived only when the client set something that tells the message
 * apart from an identical one sent on purpose: a send time ({@code angora-sent-at} header or
 * {@code timestamp} property) or a {@code correlation-id}. Without any of these, two deliveries of
 * one message and two identical messages look the same, and there is no id to derive.
 *
 * <p>The id is shaped as a UUID version 8 (RFC 9562) whose first 48 bits are the send time's
 * milliseconds, so these ids sort by time like generated ones. Headers the broker adds on its own
 * ({@code x-...}, e.g. a quorum queue's delivery count) are left out. Stateless.
 */
final class PlainMessageIds {
  private PlainMessageIds() {}

  /**
   * The id every delivery of this message gets.
   *
   * @param properties the delivery's properties, without a message id
   * @param body the delivery's body
   * @param sentAt the send time the client gave, or null
   * @return the id, or null when the client gave nothing that tells the message apart
   */
  static @Nullable String derive(AMQP.BasicProperties properties, byte[] body,
      @Nullable Instant sentAt) {
    if (sentAt == null && properties.getCorrelationId() == null) {
      return null;
    }
    ByteArrayOutputStream canonical = new ByteArrayOutputStream();
    field(canonical, "body", body);
    field(canonical, "content-type", properties.getContentType());
    field(canonical, "content-encoding", properties.getContentEncoding());
    field(canonical, "delivery-mode", properties.getDeliveryMode());
    field(canonical, "priority", properties.getPriority());
    field(canonical, "correlation-id", properties.getCorrelationId());
    field(canonical, "reply-to", properties.getReplyTo());
    field(canonical, "expiration", properties.getExpiration());
    field(canonical, "timestamp", properties.getTimestamp());
    field(canonical, "type", properties.getType());
    field(canonical, "user-id", properties.getUserId());
    field(canonical, "app-id", properties.getAppId());
    Map<String, Object> headers = properties.getHeaders();
    if (headers != null) {
      for (Map.Entry<String, Object> header : new TreeMap<>(headers).entrySet()) {
        if (!header.getKey().startsWith("x-")) {
          field(canonical, "header " + header.getKey(), header.getValue());
        }
      }
    }
    byte[] digest = sha256(canonical.toByteArray());
    long millis = sentAt == null ? bits(digest, 8) >>> 16 : sentAt.toEpochMilli();
    long high = (millis << 16) | 0x8000L | (bits(digest, 0) & 0x0fffL);
    long low = (bits(digest, 8) & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  private static void field(ByteArrayOutputStream into, String name, @Nullable Object value) {
    if (value == null) {
      return;
    }
    into.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    into.write(0);
    value(into, value);
    into.write(0);
  }

  /** A header or property value, tagged with its type so that "1" and 1 differ. */
  private static void value(ByteArrayOutputStream into, Object value) {
    if (value instanceof byte[] bytes) {
      tagged(into, 'b', bytes);
    } else if (value instanceof LongString s) {
      tagged(into, 's', s.getBytes());
    } else if (value instanceof String s) {
      tagged(into, 's', s.getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof Date date) {
      tagged(into, 'd', Long.toString(date.getTime()).getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof Map<?, ?> table) {
      into.write('{');
      new TreeMap<>(table).forEach((k, v) -> {
        value(into, k);
        value(into, v == null ? "" : v);
      });
      into.write('}');
    } else if (value instanceof List<?> list) {
      into.write('[');
      list.forEach(v -> value(into, v == null ? "" : v));
      into.write(']');
    } else {
      tagged(into, 'n', value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void tagged(ByteArrayOutputStream into, char tag, byte[] bytes) {
    into.write(tag);
    into.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    into.write(':');
    into.writeBytes(bytes);
  }

  private static long bits(byte[] digest, int from) {
    long bits = 0;
    for (int i = from; i < from + 8; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    return bits;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
