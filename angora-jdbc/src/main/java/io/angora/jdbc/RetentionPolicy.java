package io.angora.jdbc;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How much history a {@link JdbcRunStore} keeps. A finished run goes when it was queued longer
 * ago than {@code maxAge} or when it is not among the newest {@code keepPerTask} runs of its
 * task, whichever comes first; a message goes when it was sent longer ago than {@code
 * messagesMaxAge}. Runs not finished, or with a pending replay, always stay.
 *
 * <p>Sizing the {@linkplain #defaults() defaults} (365 days, 50,000 runs per task, 30 days
 * of messages): a run takes about 550 bytes on SQLite with its indexes plus its output tail
 * (measured with 1,000,000 runs, see {@code benchmarks/README.md}; PostgreSQL about 30% more).
 * A busy installation, 10,000 runs a day over 100 tasks, keeps its whole year (3.65 million
 * runs, 36,500 per task) in about 4 GB with 500-byte output tails. The per-task cap bounds a
 * task that runs far more often (one run a second would add 31 million runs a year) to
 * 50,000 runs, about 50 MB. Tasks that print a lot (the engine keeps up to 64 KB of output
 * per run) need a lower {@code keepPerTask} or a smaller output tail. Messages add a few
 * hundred bytes each for 30 days.
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
   * 365 days of runs but at most the newest 50,000 per task; 30 days of messages.
   *
   * @return the default policy
   */
  public static RetentionPolicy defaults() {
    return new RetentionPolicy(Duration.ofDays(365), 50_000, Duration.ofDays(30));
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
