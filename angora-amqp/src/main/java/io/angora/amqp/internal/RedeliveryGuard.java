package io.angora.amqp.internal;

import io.angora.amqp.internal.AmqpDelivery.Settlement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one subscription from handling an item twice when the broker hands it back after a
 * connection loss: a copy of an item still or already handled here is settled like the first
 * delivery; a redelivered item unknown here waits for news from the other consumers (see
 * {@link ClaimBoard}) before it is handed out. Thread-safe.
 *
 * @param <T> what is delivered
 */
final class RedeliveryGuard<T> {
  private static final Logger LOG = LoggerFactory.getLogger(RedeliveryGuard.class);
  private static final int REMEMBERED_SETTLES = 10_000;
  /** How long a redelivered item nobody claimed waits for news before it is handed out. */
  private static final Duration CLAIM_WAIT = Duration.ofSeconds(3);
  /** A claim not repeated for this long is from a consumer that is gone. */
  private static final Duration CLAIM_FRESH = Duration.ofSeconds(3);
  /** How long a settlement of a lost delivery is announced to the others. */
  private static final Duration ANNOUNCE_SETTLED = Duration.ofSeconds(60);


  private final String source;
  private final @Nullable ClaimBoard claims;
  private final Predicate<AmqpDelivery<T>> isStale;
  private final BiConsumer<AmqpDelivery<T>, Settlement> settle;
  private final Consumer<AmqpDelivery<T>> handOut;
  // Unsettled deliveries by identity, and how items were settled whose channel had died: used
  // to settle a copy the broker redelivers after a connection loss instead of handling it twice.
  private final Map<String, AmqpDelivery<T>> open = new HashMap<>(); // guarded by itself
  private final Map<String, Lost> lost = new LinkedHashMap<>() { // guarded by open
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Lost> eldest) {
      return size() > REMEMBERED_SETTLES;
    }
  };
  // Redelivered items this subscription does not know, waiting for news from other consumers
  // (see ClaimBoard) until the deadline (nanoTime) passes.
  private final Map<AmqpDelivery<T>, Long> parked = new LinkedHashMap<>(); // guarded by open

  private record Lost(Settlement how, long at) {}

  /**
   * Creates the guard of a subscription.
   *
   * @param source what is consumed, for log lines
   * @param claims the board shared with the other consumers, or null
   * @param isStale whether a delivery's channel died since it arrived
   * @param settle settles a delivery on its channel, as is
   * @param handOut gives a delivery to the subscription's handler
   */
  RedeliveryGuard(String source, @Nullable ClaimBoard claims, Predicate<AmqpDelivery<T>> isStale,
      BiConsumer<AmqpDelivery<T>, Settlement> settle, Consumer<AmqpDelivery<T>> handOut) {
    this.source = source;
    this.claims = claims;
    this.isStale = isStale;
    this.settle = settle;
    this.handOut = handOut;
  }

  /** Whether a new delivery was taken care of here (settled or parked), not to be handed out. */
  boolean intercepted(AmqpDelivery<T> delivery) {
    return adoptedAsCopy(delivery) || parkedForNews(delivery);
  }

  /**
   * Records that a delivery is being settled and says which delivery to settle: itself, or the
   * live copy of it when its own channel died.
   */
  AmqpDelivery<T> settling(AmqpDelivery<T> delivery, Settlement how) {
    AmqpDelivery<T> target = delivery;
    boolean stale = isStale.test(delivery);
    boolean announce = false;
    String identity = delivery.identity();
    if (identity != null) {
      synchronized (open) {
        open.remove(identity, delivery);
        AmqpDelivery<T> copy = delivery.successor();
        if (stale && copy != null && !isStale.test(copy)) {
          target = copy;
        } else if (stale && how != Settlement.REQUEUE) {
          // A requeue means "not handled here": the copy, wherever it is, should simply run.
          lost.put(identity, new Lost(how, System.nanoTime()));
          announce = true;
        }
      }
    }
    if (announce && claims != null) {
      // Tell the others now, not at the next tick: this process may be about to stop.
      claims.announce(List.of(), Map.of(identity, how));
    }
    return target;
  }

  /**
   * Whether a delivery is a copy of an item this subscription handled or still handles from
   * before a connection loss (same identity): then it is settled like the first delivery, now
   * or when that one settles, and not handed out again. The redelivered flag is not required:
   * after a broker restart RabbitMQ may deliver such a copy without it.
   */
  private boolean adoptedAsCopy(AmqpDelivery<T> copy) {
    String identity = copy.identity();
    if (identity == null) {
      return false;
    }
    Settlement earlier;
    synchronized (open) {
      AmqpDelivery<T> first = open.get(identity);
      if (first != null && first.epoch() != copy.epoch()) {
        first.successor(copy);
        LOG.info("{}: {} came back after a connection loss while still being handled here; it "
            + "is settled when that finishes", source, identity);
        return true;
      }
      Lost gone = lost.remove(identity);
      earlier = gone == null ? null : gone.how();
      if (earlier == null) {
        open.put(identity, copy);
        return false;
      }
    }
    LOG.info("{}: {} came back after a connection loss but was handled here already; settling "
        + "it as {}", source, identity, earlier);
    settle.accept(copy, earlier);
    return true;
  }

  /**
   * Whether a redelivered item unknown here waits for news from the other consumers: the
   * consumer that had it may still be running it (see {@link ClaimBoard}).
   */
  private boolean parkedForNews(AmqpDelivery<T> copy) {
    String identity = copy.identity();
    if (claims == null || identity == null || !copy.redelivered()) {
      return false;
    }
    Settlement elsewhere = claims.settledElsewhere(identity);
    synchronized (open) {
      if (elsewhere != null) {
        open.remove(identity, copy);
      } else {
        parked.put(copy, System.nanoTime() + CLAIM_WAIT.toNanos());
        return true;
      }
    }
    LOG.info("{}: {} came back after its first consumer lost the connection; that consumer "
        + "settled it already, so it is settled here as {}", source, identity, elsewhere);
    settle.accept(copy, elsewhere);
    return true;
  }

  /** Shares news with the other consumers and decides about parked items. */
  void tick() {
    ClaimBoard board = claims;
    if (board == null) {
      return;
    }
    try {
      List<String> held = new ArrayList<>();
      Map<String, Settlement> settled = new LinkedHashMap<>();
      Map<AmqpDelivery<T>, Settlement> settleNow = new LinkedHashMap<>();
      List<AmqpDelivery<T>> release = new ArrayList<>();
      long now = System.nanoTime();
      synchronized (open) {
        open.forEach((id, d) -> {
          if (isStale.test(d) && !parked.containsKey(d)) { // a parked copy is not being run here
            held.add(id);
          }
        });
        lost.forEach((id, l) -> {
          if (now - l.at() < ANNOUNCE_SETTLED.toNanos()) {
            settled.put(id, l.how());
          }
        });
        for (var it = parked.entrySet().iterator(); it.hasNext(); ) {
          var entry = it.next();
          AmqpDelivery<T> copy = entry.getKey();
          String id = java.util.Objects.requireNonNull(copy.identity());
          Settlement elsewhere = board.settledElsewhere(id);
          if (isStale.test(copy) || elsewhere != null) {
            it.remove();
            open.remove(id, copy);
            if (elsewhere != null && !isStale.test(copy)) {
              settleNow.put(copy, elsewhere);
            }
          } else if (!board.heldElsewhere(id, CLAIM_FRESH) && now - entry.getValue() >= 0) {
            it.remove();
            release.add(copy);
          }
        }
      }
      board.announce(held, settled);
      settleNow.forEach((copy, how) -> {
        LOG.info("{}: {} was finished by the consumer that had it before a connection loss; "
            + "settling its copy here as {}", source, copy.identity(), how);
        settle.accept(copy, how);
      });
      release.forEach(handOut);
    } catch (RuntimeException e) {
      LOG.error("sharing news about redelivered items of {} failed", source, e);
    }
  }
}
