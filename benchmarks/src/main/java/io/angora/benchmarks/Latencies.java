package io.angora.benchmarks;

import java.util.Arrays;

/**
 * Percentiles of a set of durations in microseconds: a sorted array, exact, no buckets.
 * Immutable.
 */
final class Latencies {
  private final long[] sorted;

  /**
   * Sorts a copy of the samples.
   *
   * @param micros the samples
   */
  Latencies(long[] micros) {
    this.sorted = micros.clone();
    Arrays.sort(sorted);
  }

  /** How many samples there are. */
  int count() {
    return sorted.length;
  }

  /**
   * The nearest-rank percentile.
   *
   * @param percent 0 to 100
   * @return the sample at that rank in microseconds, or -1 without samples
   */
  long percentile(double percent) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
