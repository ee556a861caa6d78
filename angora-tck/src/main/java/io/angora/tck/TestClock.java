package io.angora.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it, for retention and scheduling cases.
 *
 * <p>Thread-safe: the instant is volatile.
 */
public final class TestClock extends Clock {
  private volatile Instant now;

  /**
   * Creates a clock showing a given instant.
   *
   * @param start the instant it shows until moved
   */
  public TestClock(Instant start) {
    this.now = start;
  }

  /**
   * Moves the clock forward.
   *
   * @param amount how far
   */
  public void advance(Duration amount) {
    now = now.plus(amount);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
