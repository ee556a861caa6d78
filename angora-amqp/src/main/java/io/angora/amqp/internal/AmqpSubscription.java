package io.angora.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.angora.amqp.internal.AmqpDelivery.Settlement;
import io.angora.api.Delivery;
import io.angora.api.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer on its own channel. Decodes each delivery, dead-letters malformed ones, and hands
 * the rest to the handler as {@link Delivery}s settled on this channel.
 *
 * <p>Lost channels: after a connection loss, the client's automatic recovery restores the
 * channel and consumer; a channel closed by the broker alone (e.g. an acknowledgement timeout) is
 * not recovered by the client, so this class opens a new one. Either way the epoch advances and
 * settles of older deliveries are dropped: their delivery tags belong to a dead channel and the
 * broker redelivers those items.
 *
 * <p>Thread-safe.
 *
 * @param <T> what is delivered
 */
public final class AmqpSubscription<T> implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpSubscription.class);
  private static final Duration TICK = Duration.ofMillis(250);

  /** Decodes a delivery; throws {@link MalformedDeliveryException} for a bad one. */
  @FunctionalInterface
  public interface Decoder<T> {
    /**
     * Decodes.
     *
     * @param envelope where it was published (exchange and routing key)
     * @param properties the AMQP properties
     * @param body the body
     * @return the item
     */
    T decode(Envelope envelope, AMQP.BasicProperties properties, byte[] body);
  }

  /** Prepares a new channel (QoS, declarations) and starts the consumer on it. */
  @FunctionalInterface
  public interface Setup {
    /**
     * Prepares and consumes.
     *
     * @param channel a fresh channel
     * @param consumer the consumer to register
     * @return the consumer tag
     * @throws IOException if the broker refuses
     */
    String consume(Channel channel, com.rabbitmq.client.Consumer consumer) throws IOException;
  }

  private final Connection connection;
  private final String source;
  private final boolean autoAck;
  private final Setup setup;
  private final Decoder<T> decoder;
  private final Consumer<Delivery<T>> handler;
  private final ScheduledExecutorService scheduler;
  private final Duration reopenDelay;
  private final Object lock = new Object();
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicInteger unsettled = new AtomicInteger();
  private final AtomicInteger reopened = new AtomicInteger();
  private final Function<T, @Nullable String> identityOf;
  private final @Nullable ClaimBoard claims;
  private final @Nullable DeadLetters deadLetters;
  private final RedeliveryGuard<T> guard;
  private @Nullable ScheduledFuture<?> ticker;

  private @Nullable Channel channel; // guarded by lock
  private String consumerTag = ""; // guarded by lock
  private volatile boolean closed;

  private AmqpSubscription(Connection connection, String source, boolean autoAck, Setup setup,
      Decoder<T> decoder, Function<T, @Nullable String> identityOf,
      Consumer<Delivery<T>> handler, ScheduledExecutorService scheduler, Duration reopenDelay,
      @Nullable ClaimBoard claims, @Nullable DeadLetters deadLetters) {
    this.identityOf = identityOf;
    this.claims = claims;
    this.deadLetters = deadLetters;
    this.guard = new RedeliveryGuard<>(source, claims, this::isStale,
        (d, how) -> settleRaw(d.channel(), d.tag(), how), this::handOut);
    this.connection = connection;
    this.source = source;
    this.autoAck = autoAck;
    this.setup = setup;
    this.decoder = decoder;
    this.handler = handler;
    this.scheduler = scheduler;
    this.reopenDelay = reopenDelay;
  }

  /**
   * Opens a channel and starts consuming.
   *
   * @param connection the connection
   * @param source what is consumed, for log lines (e.g. {@code queue 'start'})
   * @param autoAck true when the broker forgets items on delivery (settling is then a no-op)
   * @param setup prepares a channel and registers the consumer
   * @param decoder decodes deliveries
   * @param identityOf what identifies an item across redeliveries (a message or run id), or
   *     null for items that need no duplicate suppression
   * @param handler receives decoded deliveries
   * @param scheduler for reopening a channel the broker closed
   * @param reopenDelay wait before reopening
   * @param deadLetters where refused deliveries go with their reason, or null for a plain
   *     rejection
   * @param <T> the item
   * @return the running subscription
   * @throws IOException if the broker refuses
   */
  public static <T> AmqpSubscription<T> start(Connection connection, String source,
      boolean autoAck, Setup setup, Decoder<T> decoder, Function<T, @Nullable String> identityOf,
      Consumer<Delivery<T>> handler, ScheduledExecutorService scheduler, Duration reopenDelay,
      @Nullable DeadLetters deadLetters) throws IOException {
    return start(connection, source, autoAck, setup, decoder, identityOf, handler, scheduler,
        reopenDelay, null, deadLetters);
  }

  /**
   * Opens a channel and starts consuming, sharing news about redelivered items with the other
   * consumers of the queue through {@code claims} (see {@link ClaimBoard}).
   *
   * @param connection the connection
   * @param source what is consumed, for log lines
   * @param autoAck true when the broker forgets items on delivery
   * @param setup prepares a channel and registers the consumer
   * @param decoder decodes deliveries
   * @param identityOf what identifies an item across redeliveries, or null
   * @param handler receives decoded deliveries
   * @param scheduler for reopening channels and the claims ticker
   * @param reopenDelay wait before reopening
   * @param claims the board shared with the other consumers, or null
   * @param deadLetters where refused deliveries go with their reason, or null for a plain
   *     rejection
   * @param <T> the item
   * @return the running subscription
   * @throws IOException if the broker refuses
   */
  public static <T> AmqpSubscription<T> start(Connection connection, String source,
      boolean autoAck, Setup setup, Decoder<T> decoder, Function<T, @Nullable String> identityOf,
      Consumer<Delivery<T>> handler, ScheduledExecutorService scheduler, Duration reopenDelay,
      @Nullable ClaimBoard claims, @Nullable DeadLetters deadLetters) throws IOException {
    AmqpSubscription<T> s = new AmqpSubscription<>(connection, source, autoAck, setup, decoder,
        identityOf, handler, scheduler, reopenDelay, claims, deadLetters);
    synchronized (s.lock) {
      s.open();
      if (claims != null) {
        s.ticker = scheduler.scheduleWithFixedDelay(s.guard::tick, TICK.toMillis(),
            TICK.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return s;
  }

  private void open() throws IOException {
    Channel ch = connection.createChannel();
    ch.addShutdownListener(this::onShutdown);
    DefaultConsumer consumer = new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
          byte[] body) {
        onDelivery(ch, envelope, properties, body);
      }

      @Override
      public void handleCancel(String tag) {
        LOG.warn("the broker cancelled the consumer of {} (was the queue deleted?)", source);
      }
    };
    try {
      consumerTag = setup.consume(ch, consumer);
    } catch (IOException | RuntimeException e) {
      Topology.closeQuietly(ch);
      throw e;
    }
    channel = ch;
  }

  private void onDelivery(Channel ch, Envelope envelope, AMQP.BasicProperties properties,
      byte[] body) {
    long deliveryEpoch = epoch.get();
    long tag = envelope.getDeliveryTag();
    if (closed) {
      // Dispatched after close() but before the broker saw the cancel: give it back.
      settleRaw(ch, tag, Settlement.REQUEUE);
      return;
    }
    T item;
    try {
      item = decoder.decode(envelope, properties, body);
    } catch (MalformedDeliveryException e) {
      LOG.warn("rejecting a malformed delivery from {} to the dead-letter queue: {}", source,
          e.getMessage());
      refuse(ch, envelope, properties, body, e.getMessage());
      return;
    } catch (RuntimeException e) {
      // A decoder bug must not leave the delivery unsettled (it would block the consumer).
      LOG.error("rejecting a delivery from {} that its decoder failed on", source, e);
      refuse(ch, envelope, properties, body, "cannot be decoded: " + e);
      return;
    }
    AmqpDelivery<T> delivery = new AmqpDelivery<>(this, item, envelope.isRedeliver(), ch, tag,
        deliveryEpoch, autoAck ? null : identityOf.apply(item));
    if (guard.intercepted(delivery)) {
      return;
    }
    handOut(delivery);
  }

  /**
   * Dead-letters a delivery once: a copy with the reason, then the original acknowledged; a
   * plain rejection (dead-lettered by the queue, without the reason) if the copy fails.
   */
  private void refuse(Channel ch, Envelope envelope, AMQP.BasicProperties properties,
      byte[] body, String reason) {
    long tag = envelope.getDeliveryTag();
    if (deadLetters == null) {
      settleRaw(ch, tag, Settlement.REJECT);
      return;
    }
    deadLetters.publish(envelope, properties, body, reason).whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.debug("dead-letter copy from {} failed ({}); rejecting it plainly", source,
            failure.toString());
      }
      settleRaw(ch, tag, failure == null ? Settlement.ACK : Settlement.REJECT);
    });
  }

  private void handOut(AmqpDelivery<T> delivery) {
    if (!autoAck) {
      unsettled.incrementAndGet();
    }
    try {
      handler.accept(delivery);
    } catch (RuntimeException e) {
      if (autoAck || delivery.isSettled()) {
        LOG.error("the handler of {} failed", source, e);
      } else if (delivery.redelivered()) {
        LOG.error("the handler of {} failed again on a redelivered item; dead-lettering it",
            source, e);
        delivery.reject("handler failed twice: " + e);
      } else {
        LOG.error("the handler of {} failed; requeueing the item for one more try", source, e);
        delivery.requeue();
      }
    }
  }

  void settle(AmqpDelivery<T> delivery, Settlement how, String reason) {
    if (autoAck) {
      return;
    }
    try {
      // The client also drops acks of tags from before a recovery; this check makes it explicit
      // and covers channels this class reopened itself.
      AmqpDelivery<T> target = guard.settling(delivery, how);
      if (isStale(target)) {
        LOG.debug("dropping {} of delivery {} from {}: its channel closed since; the broker "
            + "delivers the item again", how, target.tag(), source);
        return;
      }
      if (how == Settlement.REJECT) {
        LOG.warn("rejecting an item from {} to the dead-letter queue: {}", source, reason);
      }
      settleRaw(target.channel(), target.tag(), how);
    } finally {
      if (unsettled.decrementAndGet() == 0 && closed) {
        synchronized (lock) {
          if (channel != null) {
            Topology.closeQuietly(channel);
          }
        }
      }
    }
  }

  private void settleRaw(Channel ch, long tag, Settlement how) {
    if (autoAck) {
      return;
    }
    try {
      switch (how) {
        case ACK -> ch.basicAck(tag, false);
        case REJECT -> ch.basicReject(tag, false);
        case REQUEUE -> ch.basicNack(tag, false, true);
        default -> throw new IllegalStateException(how.name());
      }
    } catch (IOException | AlreadyClosedException e) {
      LOG.debug("could not {} delivery {} from {} ({}); the broker delivers it again", how, tag,
          source, e.toString());
    }
  }

  private boolean isStale(AmqpDelivery<T> delivery) {
    return delivery.epoch() != epoch.get() || !delivery.channel().isOpen();
  }

  void alreadySettled(long tag, Settlement how) {
    LOG.warn("ignoring {} of delivery {} from {}: it was already settled", how, tag, source);
  }

  private void onShutdown(ShutdownSignalException signal) {
    epoch.incrementAndGet();
    if (closed || signal.isInitiatedByApplication()) {
      return;
    }
    if (signal.isHardError()) {
      LOG.info("consumer of {} lost its connection ({}); it resumes after recovery", source,
          signal.getMessage());
      return;
    }
    if (String.valueOf(signal.getMessage()).contains("acknowledgement")) {
      LOG.error("the broker closed the channel consuming {} because a delivery stayed unacked "
          + "longer than its consumer timeout; those items are delivered again. Raise the "
          + "timeout (see the angora-amqp README)", source);
    } else {
      LOG.warn("the broker closed the channel consuming {} ({}); reopening it", source,
          signal.getMessage());
    }
    scheduleReopen();
  }

  private void scheduleReopen() {
    try {
      scheduler.schedule(this::reopen, reopenDelay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("not reopening the channel of {}: the transport is closing", source);
    }
  }

  private void reopen() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      try {
        if (channel != null) {
          channel.abort(); // forget it, so connection recovery does not revive it as well
        }
        open();
        reopened.incrementAndGet();
        LOG.info("consuming {} again on a new channel", source);
      } catch (IOException | ShutdownSignalException e) {
        LOG.warn("cannot reopen the channel of {} ({}); retrying", source, e.toString());
        scheduleReopen();
      }
    }
  }

  /** How many times this subscription reopened a channel the broker had closed. */
  public int reopened() {
    return reopened.get();
  }

  /** Stops deliveries; the channel closes once every delivered item is settled. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledFuture<?> t = ticker;
    if (t != null) {
      t.cancel(false);
    }
    synchronized (lock) {
      Channel ch = channel;
      if (ch == null) {
        return;
      }
      if (autoAck || unsettled.get() == 0) {
        Topology.closeQuietly(ch);
        return;
      }
      try {
        if (ch.isOpen()) {
          ch.basicCancel(consumerTag);
        }
      } catch (IOException | ShutdownSignalException e) {
        LOG.debug("cancelling the consumer of {} failed: {}", source, e.toString());
      }
    }
  }
}
