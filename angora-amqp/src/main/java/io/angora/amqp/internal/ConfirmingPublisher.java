package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.angora.api.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes through one channel in confirm mode and completes each publication's future when the
 * broker confirms it, without waiting per message: outstanding publications are kept by sequence
 * number and settled by the confirm listener, several at once when the broker acks with
 * {@code multiple}. A nack, an unroutable return, a lost channel or connection, or no confirm
 * within the timeout fails the future with a {@link TransportException}; so does publishing
 * while the connection is down or blocked by a broker alarm, at once rather than hanging.
 * Futures are completed on {@code callbacks}, never on the connection's I/O thread.
 *
 * <p>Thread-safe: publications are serialized by a lock, as channels are not thread-safe.
 */
public final class ConfirmingPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(ConfirmingPublisher.class);
  /** Header that lets a returned (unroutable) publication find its future. */
  static final String SEQ_HEADER = "angora-publish-seq";

  private final Connection connection;
  private final long timeoutNanos;
  private final Executor callbacks;
  private final ReentrantLock lock = new ReentrantLock();
  private final NavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
  private Channel channel; // guarded by lock
  private volatile @Nullable String blockedReason;
  private volatile boolean closed;

  private record Pending(CompletableFuture<Void> future, String target, long deadline) {}

  /**
   * Opens the publishing channel.
   *
   * @param connection the connection (recovering)
   * @param confirmTimeout how long to wait for the broker's confirm before failing
   * @param callbacks runs future completions
   * @throws IOException if the channel cannot be opened
   */
  public ConfirmingPublisher(Connection connection, Duration confirmTimeout, Executor callbacks)
      throws IOException {
    this.connection = connection;
    this.timeoutNanos = confirmTimeout.toNanos();
    this.callbacks = callbacks;
    this.channel = open();
    connection.addBlockedListener(reason -> blockedReason = reason, () -> blockedReason = null);
  }

  private Channel open() throws IOException {
    Channel ch = connection.createChannel();
    ch.confirmSelect();
    ch.addConfirmListener((seq, multiple) -> settle(seq, multiple, null),
        (seq, multiple) -> settle(seq, multiple, "the broker refused (nacked) it"));
    ch.addReturnListener(r -> {
      Object seq = r.getProperties().getHeaders() == null ? null
          : r.getProperties().getHeaders().get(SEQ_HEADER);
      Pending p = seq instanceof Long s ? outstanding.remove(s) : null;
      if (p != null) {
        fail(p, "no queue is bound for it (" + r.getReplyText() + ")", null);
      }
    });
    ch.addShutdownListener(this::failAll);
    return ch;
  }

  /**
   * Publishes persistently-flagged or transient content, as the properties say.
   *
   * @param exchange the exchange, "" for the default one
   * @param routingKey the routing key (the queue's name on the default exchange)
   * @param mandatory whether an unroutable publication fails instead of vanishing
   * @param properties the AMQP properties
   * @param body the body
   * @return completes when the broker confirms; fails with {@link TransportException}
   */
  public CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory,
      AMQP.BasicProperties properties, byte[] body) {
    String target = exchange.isEmpty() ? "queue '" + routingKey + "'"
        : "exchange '" + exchange + "'";
    if (closed) {
      return CompletableFuture.failedFuture(
          new TransportException("cannot publish to " + target + ": transport is closed"));
    }
    String blocked = blockedReason;
    if (blocked != null) {
      return CompletableFuture.failedFuture(new TransportException("cannot publish to " + target
          + ": the broker blocks publishers (" + blocked + ")"));
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    lock.lock();
    try {
      Channel ch = usableChannel(target);
      long seq = ch.getNextPublishSeqNo();
      Pending pending = new Pending(future, target, System.nanoTime() + timeoutNanos);
      outstanding.put(seq, pending);
      AMQP.BasicProperties props = mandatory ? withSeq(properties, seq) : properties;
      try {
        ch.basicPublish(exchange, routingKey, mandatory, props, body);
      } catch (IOException | AlreadyClosedException e) {
        outstanding.remove(seq);
        throw new TransportException("cannot publish to " + target + ": " + e.getMessage(), e);
      }
    } catch (TransportException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      lock.unlock();
    }
    return future;
  }

  private Channel usableChannel(String target) {
    if (!connection.isOpen()) {
      throw new TransportException("cannot publish to " + target
          + ": not connected to the broker (recovering)");
    }
    if (!channel.isOpen()) {
      ShutdownSignalException reason = channel.getCloseReason();
      if (reason == null || reason.isHardError()) {
        throw new TransportException("cannot publish to " + target
            + ": the publishing channel is recovering");
      }
      // A channel-level error (e.g. an exchange deleted by an operator) is not recovered by the
      // client: open a fresh channel. Abort first so connection recovery forgets the old one.
      LOG.warn("publishing channel was closed by the broker ({}); opening a new one",
          reason.getMessage());
      try {
        channel.abort();
        channel = open();
      } catch (IOException | AlreadyClosedException e) {
        throw new TransportException("cannot publish to " + target + ": " + e.getMessage(), e);
      }
    }
    return channel;
  }

  private static AMQP.BasicProperties withSeq(AMQP.BasicProperties properties, long seq) {
    Map<String, Object> headers = properties.getHeaders() == null ? new HashMap<>()
        : new HashMap<>(properties.getHeaders());
    headers.put(SEQ_HEADER, seq);
    return properties.builder().headers(headers).build();
  }

  /**
   * Settles what one confirm (or nack) frame covers. The futures of one frame are completed by
   * one callback task: a broker acking several publications with {@code multiple} costs one
   * hand-off, not one per publication.
   */
  private void settle(long seq, boolean multiple, @Nullable String nackReason) {
    List<Pending> settled;
    if (multiple) {
      settled = new ArrayList<>();
      NavigableMap<Long, Pending> head = outstanding.headMap(seq, true);
      for (Long key : head.keySet()) {
        Pending p = outstanding.remove(key);
        if (p != null) {
          settled.add(p);
        }
      }
    } else {
      Pending p = outstanding.remove(seq);
      settled = p == null ? List.of() : List.of(p);
    }
    if (settled.isEmpty()) {
      return;
    }
    if (nackReason != null) {
      settled.forEach(p -> fail(p, nackReason, null));
      return;
    }
    callbacks.execute(() -> {
      for (Pending p : settled) {
        p.future.complete(null);
      }
    });
  }

  private void fail(Pending p, String why, @Nullable Throwable cause) {
    TransportException e = cause == null
        ? new TransportException("publication to " + p.target + " failed: " + why)
        : new TransportException("publication to " + p.target + " failed: " + why, cause);
    callbacks.execute(() -> p.future.completeExceptionally(e));
  }

  private void failAll(ShutdownSignalException cause) {
    // Sequence numbers restart on a recovered channel: nothing outstanding may survive.
    for (Long key : outstanding.keySet()) {
      Pending p = outstanding.remove(key);
      if (p != null) {
        fail(p, "the channel closed before the broker confirmed it", cause);
      }
    }
  }

  /** Fails every publication whose confirm is overdue; called periodically. */
  public void expireOverdue() {
    long now = System.nanoTime();
    for (Map.Entry<Long, Pending> e : outstanding.entrySet()) {
      if (now - e.getValue().deadline >= 0 && outstanding.remove(e.getKey(), e.getValue())) {
        fail(e.getValue(), "no confirm from the broker in time", null);
      }
    }
  }

  /** Number of publications waiting for the broker's confirm. */
  public int outstanding() {
    return outstanding.size();
  }

  /**
   * Waits until the publications outstanding now are confirmed or failed.
   *
   * @param timeout how long to wait at most
   */
  public void drain(Duration timeout) {
    CompletableFuture<?>[] pending = outstanding.values().stream().map(Pending::future)
        .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      LOG.debug("a publication failed while draining: {}", e.getCause().toString());
    } catch (TimeoutException e) {
      LOG.warn("{} publications still unconfirmed after {}", outstanding.size(), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Refuses further publications and fails the outstanding ones. */
  public void close() {
    closed = true;
    for (Long key : outstanding.keySet()) {
      Pending p = outstanding.remove(key);
      if (p != null) {
        fail(p, "the transport was closed before the broker confirmed it", null);
      }
    }
  }
}
