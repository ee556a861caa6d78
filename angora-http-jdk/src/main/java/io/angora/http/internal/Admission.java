package io.angora.http.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests are handled at once: a request waits for one of the places a short while
 * behind a bounded number of others, and is answered 503 when none frees up, instead of piling
 * up threads or blocking the thread that accepts connections. Reading a request (its headers and
 * body) takes no place, so slow clients cannot hold them. Thread-safe.
 */
public final class Admission {
  private final Semaphore places;
  private final AtomicInteger waiting = new AtomicInteger();
  private final int maxWaiting;
  private final long maxWaitNanos;

  /**
   * Creates the limit.
   *
   * @param places how many requests are handled at once
   * @param maxWaiting how many more may wait for a place; any beyond are refused at once
   * @param maxWait how long one waits at most
   */
  public Admission(int places, int maxWaiting, Duration maxWait) {
    this.places = new Semaphore(places, true);
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /**
   * Takes a place, waiting if need be; a {@code true} answer must be followed by
   * {@link #leave()}.
   *
   * @return whether a place was taken; false when the server is too busy (or interrupted)
   */
  public boolean enter() {
    if (places.tryAcquire()) {
      return true;
    }
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return false;
    }
    try {
      return places.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Gives a place back. */
  public void leave() {
    places.release();
  }
}
