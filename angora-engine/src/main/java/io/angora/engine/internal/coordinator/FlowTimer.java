package io.angora.engine.internal.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the coordinator back when a rate window opens for a waiting run, on its own thread
 * ({@code angora-flow}), once per earliest opening asked for. Thread-safe.
 */
final class FlowTimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FlowTimer.class);

  private final Runnable onOpening;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "angora-flow");
    t.setDaemon(true);
    return t;
  });
  private @Nullable Instant next;

  FlowTimer(Runnable onOpening) {
    this.onOpening = onOpening;
  }

  /**
   * Asks for a call at a time, unless one is due earlier already.
   *
   * @param at when, or empty for nothing to wait for
   * @param now the time
   */
  synchronized void wake(Optional<Instant> at, Instant now) {
    if (at.isEmpty() || next != null && !at.get().isBefore(next)) {
      return;
    }
    Instant when = at.get();
    next = when;
    long delay = Math.max(0, Duration.between(now, when).toMillis() + 1);
    try {
      timer.schedule(() -> fire(when), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      next = null;
    }
  }

  private void fire(Instant when) {
    synchronized (this) {
      if (when.equals(next)) {
        next = null;
      }
    }
    try {
      onOpening.run();
    } catch (RuntimeException e) {
      log.error("Letting runs through after their rate window opened failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
