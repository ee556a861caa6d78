package io.angora.jdbc;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How much history a {@link JdbcRunStore} keeps. A finished run goes when it was queued longer
 * ago than {@code maxAge} or when it is not among the newest {@code keepPerTask} runs of its
 * task, whichever comes first; a message goes when it was sent longer ago than {@code
 * messagesMaxAge}. Runs not finished, or with a pending replay, always stay.
 *
 * <p>The {@linkplain #defaults() defaults} bound the store by count whatever the rate: with
 * {@code keepPerTask} 10,000 and 100 tasks at most about 1,000,000 runs stay, about 0.5 to 1 GB
 * on SQLite with the indexes (measured: see {@code benchmarks/README.md}), plus 30 days of
 * messages (a few hundred bytes each). A busy installation (100 tasks, 50,000 runs a day) thus
 * keeps one to a few GB over a year; quieter tasks keep a full year.
 *
 * @param maxAge runs queued longer ago go; null keeps them regardless of age
 * @param keepPerTask the newest runs kept per task; 0 for no limit
 * @param messagesMaxAge messages sent longer ago go; null keeps them regardless of age
 */
public record RetentionPolicy(@Nullable Duration maxAge, int keepPerTask,
    @Nullable Duration messagesMaxAge) {

  /** Checks the limits. */
  public RetentionPolicy {
    if (keepPerTask < 0) {
      throw new IllegalArgumentException("keepPerTask must be 0 (no limit) or more: " + keepPerTask);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
    }
    if (messagesMaxAge != null && (messagesMaxAge.isNegative() || messagesMaxAge.isZero())) {
      throw new IllegalArgumentException("messagesMaxAge must be positive: " + messagesMaxAge);
    }
  }

  /**
   * 365 days of runs but at most the newest 10,000 per task; 30 days of messages.
   *
   * @return the default policy
   */
  public static RetentionPolicy defaults() {
    return new RetentionPolicy(Duration.ofDays(365), 10_000, Duration.ofDays(30));
  }

  /**
   * Keeps everything; the store only grows.
   *
   * @return the policy
   */
  public static RetentionPolicy keepEverything() {
    return new RetentionPolicy(null, 0, null);
  }

  /**
   * Whether this policy ever deletes anything.
   *
   * @return false when every limit is off
   */
  public boolean prunes() {
    return maxAge != null || keepPerTask > 0 || messagesMaxAge != null;
  }
}
