package io.angora.amqp.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Makes UUID version 7 strings (RFC 9562): 48 bits of milliseconds from the clock, then random
 * bits, so ids made later sort later as text and ids made on different machines do not collide.
 * Used for messages that arrive without an id or workflow id. Thread-safe.
 */
public final class TimeOrderedIds implements Supplier<String> {
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * Creates a generator.
   *
   * @param clock the time source of the id's leading bits
   */
  public TimeOrderedIds(Clock clock) {
    this.clock = clock;
  }

  /** Makes a new id. */
  @Override
  public String get() {
    long millis = clock.millis();
    long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0fff);
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
