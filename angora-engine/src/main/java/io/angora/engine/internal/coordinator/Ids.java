package io.angora.engine.internal.coordinator;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes ids that sort in creation order: 14 hex digits of microseconds since the epoch (never
 * repeating within one generator), a dash, 6 random hex digits so that ids of different
 * generators do not collide. Thread-safe.
 */
public final class Ids {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong();

  /**
   * Creates a generator.
   *
   * @param clock the time source
   */
  public Ids(Clock clock) {
    this.clock = clock;
  }

  /** Returns a new id greater than every id this generator returned before. */
  public String next() {
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    long value = last.accumulateAndGet(micros, (prev, candidate) -> Math.max(prev + 1, candidate));
    char[] id = new char[21];
    hex(value, id, 0, 14);
    id[14] = '-';
    hex(ThreadLocalRandom.current().nextInt(1 << 24), id, 15, 6);
    return new String(id);
  }

  private static void hex(long value, char[] into, int from, int digits) {
    for (int i = from + digits - 1; i >= from; i--) {
      into[i] = Character.forDigit((int) (value & 0xf), 16);
      value >>>= 4;
    }
  }
}
