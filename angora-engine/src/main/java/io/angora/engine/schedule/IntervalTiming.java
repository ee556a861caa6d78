package io.angora.engine.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Fire times at the multiples of a fixed interval since the epoch. Immutable. */
record IntervalTiming(Duration interval) implements Timing {

  IntervalTiming {
    if (interval.getSeconds() < 1 || interval.getNano() != 0) {
      throw new IllegalArgumentException("interval must be whole seconds, at least 1s: "
          + interval);
    }
  }

  @Override
  public Optional<Instant> next(Instant after, ZoneId zone) {
    long seconds = interval.getSeconds();
    long periods = Math.floorDiv(after.getEpochSecond(), seconds) + 1;
    return Optional.of(Instant.ofEpochSecond(Math.multiplyExact(periods, seconds)));
  }

  @Override
  public String describe() {
    return "every " + format(interval);
  }

  /** Writes an interval in the largest unit that divides it: 90s, 30m, 2h, 1d. */
  static String format(Duration interval) {
    long seconds = interval.getSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
