package io.angora.engine.internal.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread {@code angora-scheduler}: ticks, then sleeps until the next fire time, at most
 * {@code maxSleep} so that a clock that jumps (NTP, a suspended machine, a test clock) is
 * noticed soon. Thread-safe.
 */
final class ScheduleTimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduleTimer.class);

  private final Supplier<@Nullable Instant> tick;
  private final Clock clock;
  private final long maxSleepMillis;
  private final Object monitor = new Object();
  private boolean woken;
  private volatile boolean running;
  private @Nullable Thread thread;

  ScheduleTimer(Supplier<@Nullable Instant> tick, Clock clock, Duration maxSleep) {
    this.tick = tick;
    this.clock = clock;
    this.maxSleepMillis = Math.max(1, maxSleep.toMillis());
  }

  synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("the scheduler timer is already started");
    }
    running = true;
    thread = new Thread(this::loop, "angora-scheduler");
    thread.start();
  }

  /** Makes the timer tick again now, e.g. after a reload or a resume. */
  void wake() {
    synchronized (monitor) {
      woken = true;
      monitor.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      Instant next = null;
      try {
        next = tick.get();
      } catch (RuntimeException e) {
        // One bad tick must not stop every schedule; the next tick tries again.
        log.error("Scheduler tick failed", e);
      }
      long sleep = maxSleepMillis;
      if (next != null) {
        sleep = Math.max(1, Math.min(sleep, Duration.between(clock.instant(), next).toMillis()));
      }
      synchronized (monitor) {
        try {
          if (!woken && running) {
            monitor.wait(sleep);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        woken = false;
      }
    }
  }

  /** Stops: lets a tick in progress finish, then interrupts if it does not within 5 s. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      t = thread;
      running = false;
    }
    if (t == null) {
      return;
    }
    wake();
    try {
      t.join(TimeUnit.SECONDS.toMillis(5));
      if (t.isAlive()) {
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
