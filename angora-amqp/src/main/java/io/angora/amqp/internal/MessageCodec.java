package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.angora.api.Message;
import io.angora.api.MessageText;
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
    headers.put(SENT_AT, WireInstants.format(message.sentAt()));
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
   * @throws IllegalArgumentException if a field breaks the rules of {@link MessageText}, which
   *     a reader would refuse
   */
  public static byte[] body(Message message) {
    MessageText.check(message);
    return message.text().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes a delivery from the {@code initialize} queue. Surrounding whitespace of the text
   * (e.g. the newline of {@code echo}) is dropped.
   *
   * <p>A message from a plain AMQP client may lack fields. Its id is then the
   * {@code message-id} property, else one derived from the delivery (the same at every delivery,
   * see {@link PlainMessageIds}) when it carries a send time or a correlation id, else a new one;
   * its send time the {@code timestamp} property, else the clock's; its workflow id a new one. A
   * coordinator that handles a message again takes the send time and workflow id from its first
   * recording.
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
    Map<String, Object> headers = properties.getHeaders() == null ? Map.of()
        : properties.getHeaders();
    Instant sentAt = sentAt(headers, properties);
    String id = optional(headers, ID);
    if (id == null) {
      String property = properties.getMessageId();
      id = property != null && !property.isBlank() ? property
          : PlainMessageIds.derive(properties, body, sentAt);
    }
    String workflowId = optional(headers, WORKFLOW_ID);
    Message message = new Message(id == null ? newId.get() : id, text, header(headers, PAYLOAD),
        workflowId == null ? newId.get() : workflowId, optional(headers, PARENT_RUN_ID),
        optional(headers, TASK), sentAt == null ? clock.instant() : sentAt);
    try {
      return MessageText.check(message);
    } catch (IllegalArgumentException e) {
      throw new MalformedDeliveryException(e.getMessage(), e);
    }
  }

  /** The send time the sender gave, or null. */
  private static @Nullable Instant sentAt(Map<String, Object> headers,
      AMQP.BasicProperties properties) {
    String iso = header(headers, SENT_AT);
    if (iso != null) {
      try {
        return WireInstants.check(WireInstants.parse(iso), "header " + SENT_AT);
      } catch (DateTimeParseException e) {
        throw new MalformedDeliveryException("header " + SENT_AT + " is not an ISO-8601 instant",
            e);
      }
    }
    Date timestamp = properties.getTimestamp();
    return timestamp == null ? null
        : WireInstants.check(timestamp.toInstant(), "timestamp property");
  }

  private static @Nullable String optional(Map<String, Object> headers, String name) {
    String value = header(headers, name);
    return value == null || value.isEmpty() ? null : value;
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
