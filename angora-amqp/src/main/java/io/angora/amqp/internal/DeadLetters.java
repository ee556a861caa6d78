package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Puts a refused delivery (malformed, unsigned, forged, expired) into the dead-letter exchange
 * with the reason in a header, which a plain broker rejection cannot carry. The caller
 * acknowledges the original once the copy is confirmed, and falls back to a plain rejection
 * (the queue's dead-letter exchange, without the reason) if the copy fails. Thread-safe.
 */
public final class DeadLetters {
  /** Header with why the delivery was refused. */
  public static final String REASON = "angora-dead-reason";
  /** Header with where it was delivered from: {@code exchange/routing-key}. */
  public static final String FROM = "angora-dead-from";
  private static final int MAX_REASON_CHARS = 1000;

  private final ConfirmingPublisher publisher;
  private final String exchange;

  /**
   * Creates the dead-letter publisher.
   *
   * @param publisher publishes with confirms
   * @param exchange the dead-letter exchange
   */
  public DeadLetters(ConfirmingPublisher publisher, String exchange) {
    this.publisher = publisher;
    this.exchange = exchange;
  }

  /**
   * Publishes a copy of the delivery with the reason.
   *
   * @param envelope where the delivery came from
   * @param properties its properties, kept
   * @param body its body, kept
   * @param reason why it is refused
   * @return completes when the broker confirmed the copy
   */
  public CompletableFuture<Void> publish(Envelope envelope, AMQP.BasicProperties properties,
      byte[] body, String reason) {
    Map<String, Object> headers = properties.getHeaders() == null ? new HashMap<>()
        : new HashMap<>(properties.getHeaders());
    headers.put(REASON, reason.length() > MAX_REASON_CHARS
        ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason);
    headers.put(FROM, envelope.getExchange() + "/" + envelope.getRoutingKey());
    AMQP.BasicProperties copy = properties.builder().headers(headers).deliveryMode(2).build();
    return publisher.publish(exchange, "", true, copy, body);
  }
}
