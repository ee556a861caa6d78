package io.angora.engine.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a schedule fires: a cron expression read on the wall clock of a zone, or a fixed
 * interval. Immutable and thread-safe; equal when written the same way.
 */
public sealed interface Timing permits CronTiming, IntervalTiming {

  /**
   * A crontab expression: five fields (minute, hour, day of month, month, day of week, with
   * {@code *}, lists, ranges, steps and names such as {@code MON} or {@code JAN}), or one of
   * {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}. As in crontab, when
   * both day fields are restricted a day matching either one matches.
   *
   * @param expression the expression
   * @return the timing
   * @throws IllegalArgumentException naming the problem when the expression is invalid or
   *     never matches a date
   */
  static Timing cron(String expression) {
    return CronTiming.parse(expression);
  }

  /**
   * A fixed interval, aligned on the epoch: fire times are the multiples of the interval since
   * 1970-01-01T00:00Z ({@code every 30m} fires at :00 and :30 of every hour), whatever the zone
   * and whenever the coordinator started.
   *
   * @param interval whole seconds, at least one second
   * @return the timing
   * @throws IllegalArgumentException when the interval is shorter than a second or not whole
   *     seconds
   */
  static Timing every(Duration interval) {
    return new IntervalTiming(interval);
  }

  /**
   * The first fire time strictly after an instant.
   *
   * @param after the instant
   * @param zone the zone whose wall clock a cron expression reads
   * @return the next fire time, or empty when there is none
   */
  Optional<Instant> next(Instant after, ZoneId zone);

  /**
   * Describes the timing as written in a schedule file.
   *
   * @return e.g. {@code cron "5 1 * * 1-5"} or {@code every 30m}
   */
  String describe();
}
