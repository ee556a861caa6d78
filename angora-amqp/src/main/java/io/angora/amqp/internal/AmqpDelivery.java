package io.angora.amqp.internal;

import com.rabbitmq.client.Channel;
import io.angora.api.Delivery;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A delivery from one consumer channel, settled on that channel. Remembers the channel's epoch
 * at delivery so that a settle after the channel was lost and recovered is dropped instead of
 * acking a delivery tag that now means something else (the broker redelivers the item anyway).
 * Thread-safe: the first settle wins, later ones are logged and ignored.
 *
 * @param <T> the item
 */
final class AmqpDelivery<T> implements Delivery<T> {
  private final AmqpSubscription<T> subscription;
  private final T body;
  private final boolean redelivered;
  private final Channel channel;
  private final long tag;
  private final long epoch;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final @Nullable String identity;
  private @Nullable AmqpDelivery<T> successor; // guarded by the subscription's copies lock

  AmqpDelivery(AmqpSubscription<T> subscription, T body, boolean redelivered, Channel channel,
      long tag, long epoch, @Nullable String identity) {
    this.identity = identity;
    this.subscription = subscription;
    this.body = body;
    this.redelivered = redelivered;
    this.channel = channel;
    this.tag = tag;
    this.epoch = epoch;
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public boolean redelivered() {
    return redelivered;
  }

  @Override
  public void ack() {
    settle(Settlement.ACK, "");
  }

  @Override
  public void reject(String reason) {
    settle(Settlement.REJECT, reason);
  }

  @Override
  public void requeue() {
    settle(Settlement.REQUEUE, "");
  }

  boolean isSettled() {
    return settled.get();
  }

  @Nullable String identity() {
    return identity;
  }

  long epoch() {
    return epoch;
  }

  Channel channel() {
    return channel;
  }

  long tag() {
    return tag;
  }

  @Nullable AmqpDelivery<T> successor() {
    return successor;
  }

  void successor(AmqpDelivery<T> copy) {
    this.successor = copy;
  }

  private void settle(Settlement how, String reason) {
    if (!settled.compareAndSet(false, true)) {
      subscription.alreadySettled(tag, how);
      return;
    }
    subscription.settle(this, how, reason);
  }

  /** How a delivery is settled. */
  enum Settlement { ACK, REJECT, REQUEUE }
}
