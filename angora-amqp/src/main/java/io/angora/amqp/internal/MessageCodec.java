package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.angora.api.Message;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of a {@link Message} on the {@code initialize} queue: the UTF-8 body is the
 * message text; the other fields travel in optional {@code angora-*} headers, so any AMQP client
 * can publish a message as a plain text body. Stateless and thread-safe.
 */
public final class MessageCodec {
  /** Header carrying {@link Message#id()}; the AMQP message-id property is used when absent. */
  public static final String ID = "angora-message-id";
  /** Header carrying {@link Message#workflowId()}. */
  public static final String WORKFLOW_ID = "angora-workflow-id";
  /** Header carrying {@link Message#parentRunId()}. */
  public static final String PARENT_RUN_ID = "angora-parent-run-id";
  /** Header carrying {@link Message#task()}. */
  public static final String TASK = "angora-task";
  /** Header carrying {@link Message#payload()}. */
  public static final String PAYLOAD = "angora-payload";
  /** Header carrying {@link Message#sentAt()} as an ISO-8601 instant (the AMQP timestamp has
   * only seconds). */
  public static final String SENT_AT = "angora-sent-at";

  /** Longest message text, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 1024;
  /** Longest payload, in UTF-8 bytes (headers must fit in one AMQP frame). */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
  private static final int MAX_ID_CHARS = 200;

  private MessageCodec() {}

  /**
   * The AMQP properties of a message: persistent, {@code text/plain}, with every field as a
   * header.
   *
   * @param message the message
   * @return the properties
   */
  public static AMQP.BasicProperties properties(Message message) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(ID, message.id());
    headers.put(WORKFLOW_ID, message.workflowId());
    putIfPresent(headers, PARENT_RUN_ID, message.parentRunId());
    putIfPresent(headers, TASK, message.task());
    putIfPresent(headers, PAYLOAD, message.payload());
    headers.put(SENT_AT, message.sentAt().toString());
    return new AMQP.BasicProperties.Builder()
        .contentType("text/plain")
        .contentEncoding("utf-8")
        .deliveryMode(2)
        .messageId(message.id())
        .timestamp(Date.from(message.sentAt()))
        .headers(headers)
        .build();
  }

  /**
   * The body of a message: its text in UTF-8.
   *
   * @param message the message
   * @return the body
   * @throws IllegalArgumentException if the text or payload would be rejected by a reader
   */
  public static byte[] body(Message message) {
    checkText(message.text());
    String payload = message.payload();
    if (payload != null && payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("message '" + message.text() + "': payload longer than "
          + MAX_PAYLOAD_BYTES + " bytes");
    }
    return message.text().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes a delivery from the {@code initialize} queue. Missing ids are generated; a missing
   * send time is taken from the AMQP timestamp, else the clock. Surrounding whitespace of the
   * text (e.g. the newline of {@code echo}) is dropped.
   *
   * @param properties the delivery's properties
   * @param body the delivery's body
   * @param clock for a missing send time
   * @param newId makes an id for a message without one
   * @return the message
   * @throws MalformedDeliveryException if the body or a header is not acceptable
   */
  public static Message decode(AMQP.BasicProperties properties, byte[] body, Clock clock,
      Supplier<String> newId) {
    String text = StrictUtf8.decode(body, "message body").strip();
    try {
      checkText(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedDeliveryException(e.getMessage(), e);
    }
    Map<String, Object> headers = properties.getHeaders() == null ? Map.of()
        : properties.getHeaders();
    String id = id(headers, ID);
    if (id == null) {
      id = properties.getMessageId() == null || properties.getMessageId().isBlank()
          ? newId.get() : checkId("message-id property", properties.getMessageId());
    }
    String workflowId = id(headers, WORKFLOW_ID);
    String payload = header(headers, PAYLOAD);
    if (payload != null && payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      throw new MalformedDeliveryException("message '" + text + "': header " + PAYLOAD
          + " longer than " + MAX_PAYLOAD_BYTES + " bytes");
    }
    return new Message(id, text, payload, workflowId == null ? newId.get() : workflowId,
        id(headers, PARENT_RUN_ID), id(headers, TASK), sentAt(headers, properties, clock));
  }

  private static Instant sentAt(Map<String, Object> headers, AMQP.BasicProperties properties,
      Clock clock) {
    String iso = header(headers, SENT_AT);
    if (iso != null) {
      try {
        return Instant.parse(iso);
      } catch (DateTimeParseException e) {
        throw new MalformedDeliveryException("header " + SENT_AT + " is not an ISO-8601 instant",
            e);
      }
    }
    Date timestamp = properties.getTimestamp();
    return timestamp != null ? timestamp.toInstant() : clock.instant();
  }

  private static void checkText(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("message text is empty");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("message text is longer than " + MAX_TEXT_BYTES
          + " bytes: '" + text.substring(0, 40) + "...'");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("message text contains a control character: '"
          + text.replaceAll("\\p{Cntrl}", "?") + "'");
    }
  }

  private static @Nullable String id(Map<String, Object> headers, String name) {
    String value = header(headers, name);
    return value == null || value.isEmpty() ? null : checkId("header " + name, value);
  }

  private static String checkId(String where, String value) {
    if (value.length() > MAX_ID_CHARS || value.chars().anyMatch(Character::isISOControl)) {
      throw new MalformedDeliveryException(where + " is longer than " + MAX_ID_CHARS
          + " characters or contains a control character");
    }
    return value;
  }

  private static @Nullable String header(Map<String, Object> headers, String name) {
    Object value = headers.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof LongString s) {
      return StrictUtf8.decode(s.getBytes(), "header " + name);
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof byte[] bytes) {
      return StrictUtf8.decode(bytes, "header " + name);
    }
    throw new MalformedDeliveryException("header " + name + " must be a string, not "
        + value.getClass().getSimpleName());
  }

  private static void putIfPresent(Map<String, Object> headers, String name,
      @Nullable String value) {
    if (value != null) {
      headers.put(name, value);
    }
  }
}
