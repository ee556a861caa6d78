package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import io.angora.amqp.internal.AmqpDelivery.Settlement;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the job consumers of one installation tell each other about jobs the broker handed back
 * after a connection loss, over a fanout exchange: "I still hold these" (repeated while it is
 * true) and "I settled these, so". A worker that receives a redelivered job it does not know
 * waits briefly for such news before running it, so a job whose first worker is alive and
 * still running it (or finished it) is not run a second time elsewhere.
 *
 * <p>Wire format: JSON {@code {"v":1,"from":ID,"held":[...],"settled":{identity:"ACK"}}},
 * transient. Thread-safe.
 */
public final class ClaimBoard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimBoard.class);
  private static final int REMEMBERED = 10_000;

  private final String self = UUID.randomUUID().toString();
  private final String exchange;
  private final ConfirmingPublisher publisher;
  private final Map<String, Long> heldElsewhere = new ConcurrentHashMap<>(); // -> nanoTime
  private final Map<String, Settlement> settledElsewhere = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Settlement> eldest) {
      return size() > REMEMBERED;
    }
  };
  private final AmqpSubscription<Map<String, Object>> listener;
  private final @Nullable Signatures signatures;

  private ClaimBoard(String exchange, ConfirmingPublisher publisher,
      AmqpSubscription<Map<String, Object>> listener, @Nullable Signatures signatures) {
    this.signatures = signatures;
    this.exchange = exchange;
    this.publisher = publisher;
    this.listener = listener;
  }

  /**
   * Starts listening to the other consumers' news.
   *
   * @param connection the connection
   * @param exchange the claims fanout exchange
   * @param publisher publishes this consumer's news
   * @param scheduler for the listener's channel recovery
   * @param deadLetters where refused news goes with its reason
   * @param signatures signs and checks the news, or null when the installation has no key
   * @return the board
   * @throws IOException if the broker refuses
   */
  public static ClaimBoard start(Connection connection, String exchange,
      ConfirmingPublisher publisher, ScheduledExecutorService scheduler,
      DeadLetters deadLetters, @Nullable Signatures signatures) throws IOException {
    ClaimBoard[] board = new ClaimBoard[1];
    AmqpSubscription<Map<String, Object>> listener = AmqpSubscription.start(connection,
        "exchange '" + exchange + "'", true, (channel, consumer) -> {
          String queue = channel.queueDeclare().getQueue();
          channel.queueBind(queue, exchange, "");
          return channel.basicConsume(queue, true, consumer);
        }, (envelope, properties, body) -> {
          if (signatures != null) {
            signatures.verify(envelope, properties, body);
          }
          return json(body);
        }, news -> null,
        d -> {
          if (board[0] != null) {
            board[0].receive(d.body());
          }
        }, scheduler, Duration.ofSeconds(1), deadLetters);
    board[0] = new ClaimBoard(exchange, publisher, listener, signatures);
    return board[0];
  }

  /** Decodes news; package-private for the fuzz test. */
  static Map<String, Object> json(byte[] body) {
    StrictUtf8.decode(body, "claim");
    Object value = WireJson.parse(body);
    if (!(value instanceof Map<?, ?> map)) {
      throw new MalformedDeliveryException("claim must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> news = (Map<String, Object>) map;
    return news;
  }

  private void receive(Map<String, Object> news) {
    if (self.equals(news.get("from")) || !Long.valueOf(1).equals(news.get("v"))) {
      return;
    }
    long now = System.nanoTime();
    if (news.get("held") instanceof List<?> held) {
      for (Object id : held) {
        if (id instanceof String s) {
          heldElsewhere.put(s, now);
        }
      }
    }
    if (news.get("settled") instanceof Map<?, ?> settled) {
      synchronized (settledElsewhere) {
        settled.forEach((id, how) -> {
          if (id instanceof String s && how instanceof String h) {
            try {
              Settlement settlement = Settlement.valueOf(h);
              if (settlement != Settlement.REQUEUE) {
                settledElsewhere.put(s, settlement);
              }
              heldElsewhere.remove(s);
            } catch (IllegalArgumentException e) {
              LOG.debug("ignoring claim news with settlement '{}'", h);
            }
          }
        });
      }
    }
  }

  /**
   * Tells the others which redelivered jobs this consumer holds and how it settled others.
   *
   * @param held identities still being handled here from before a connection loss
   * @param settled identities settled here after their channel died, and how
   */
  void announce(Collection<String> held, Map<String, Settlement> settled) {
    if (held.isEmpty() && settled.isEmpty()) {
      return;
    }
    Map<String, Object> news = new LinkedHashMap<>();
    news.put("v", 1L);
    news.put("from", self);
    news.put("held", List.copyOf(held));
    Map<String, Object> how = new LinkedHashMap<>();
    settled.forEach((id, s) -> how.put(id, s.name()));
    news.put("settled", how);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType("application/json").deliveryMode(1).build();
    byte[] body = WireJson.write(news);
    publisher.publish(exchange, "", false,
        signatures == null ? props : signatures.sign(props, exchange, "", body), body)
        .exceptionally(e -> {
          LOG.debug("claim news not published (retried on the next tick): {}", e.toString());
          return null;
        });
  }

  /** Whether another consumer said within {@code fresh} that it still holds the job. */
  boolean heldElsewhere(String identity, Duration fresh) {
    Long seen = heldElsewhere.get(identity);
    return seen != null && System.nanoTime() - seen < fresh.toNanos();
  }

  /** How another consumer settled the job after losing its channel, if it said so. */
  @Nullable Settlement settledElsewhere(String identity) {
    synchronized (settledElsewhere) {
      return settledElsewhere.remove(identity);
    }
  }

  @Override
  public void close() {
    listener.close();
  }
}
