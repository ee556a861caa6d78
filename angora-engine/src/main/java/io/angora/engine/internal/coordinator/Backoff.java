package io.angora.engine.internal.coordinator;

import java.time.Duration;

/**
 * Exponential delay before a replay: {@code initial * 2^(attempt-1)}, capped, so that an
 * always-failing task with unlimited replays never spins.
 *
 * @param initial the delay after the first failure
 * @param max the cap
 */
public record Backoff(Duration initial, Duration max) {

  /** Checks the bounds. */
  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max: " + initial + ", " + max);
    }
  }

  /**
   * The delay after a failed attempt.
   *
   * @param attempt the attempt that failed, 1 for the first
   * @return how long to wait before the next attempt
   */
  public Duration after(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long millis = initial.toMillis();
    long delay = millis << doublings;
    if (delay < millis || delay > max.toMillis()) {
      return max;
    }
    return Duration.ofMillis(delay);
  }
}
