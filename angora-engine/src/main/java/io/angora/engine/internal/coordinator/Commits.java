package io.angora.engine.internal.coordinator;

import io.angora.api.Delivery;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit point of a delivery: it is acknowledged only once everything it caused is durable,
 * i.e. its store writes are flushed and its publications confirmed, which one future says. When
 * that future fails (the store could not commit, the broker refused a publication), the delivery
 * is not acknowledged and not dead-lettered: it is given back to the broker after a pause, and
 * its redelivery does again what may not have been done (deterministic ids make that
 * idempotent). Many deliveries are in flight at once, each settled when its own future
 * completes. Thread-safe.
 */
final class Commits implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Commits.class);
  /** How long a delivery whose effects failed waits before it goes back to the broker. */
  static final Duration GIVE_BACK_AFTER = Duration.ofSeconds(1);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "angora-give-back");
    t.setDaemon(true);
    return t;
  });

  /**
   * Settles a delivery when its effects are durable.
   *
   * @param delivery the delivery
   * @param what the delivery, for the log (e.g. {@code message 0005f...})
   * @param durable completes once the delivery's writes are flushed and publications confirmed
   * @param beforeAck the fault point to stop at before acking, or null
   * @param after runs once the delivery is settled or given back
   */
  void settle(Delivery<?> delivery, String what, CompletableFuture<?> durable,
      @Nullable FaultPoint beforeAck, Runnable after) {
    durable.whenComplete((ok, error) -> {
      try {
        if (error == null) {
          if (beforeAck != null) {
            beforeAck.reach();
          }
          delivery.ack();
        } else {
          giveBack(delivery, what, cause(error).toString());
        }
      } finally {
        after.run();
      }
    });
  }

  /**
   * Gives a delivery back to the broker after a pause, neither acked nor dead-lettered: what it
   * caused is not known to be durable.
   *
   * @param delivery the delivery
   * @param what the delivery, for the log
   * @param why the failure
   */
  void giveBack(Delivery<?> delivery, String what, String why) {
    log.warn("{} not acknowledged: {}; it goes back to the broker in {} ms and is handled again",
        what, why, GIVE_BACK_AFTER.toMillis());
    try {
      timer.schedule(delivery::requeue, GIVE_BACK_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      delivery.requeue();
    }
  }

  private static Throwable cause(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  @Override
  public void close() {
    timer.shutdown(); // pending give-backs still run; the broker redelivers the rest anyway
  }
}
