package io.angora.engine.internal.live;

import java.time.Duration;

/**
 * How a worker ships a running job's live output.
 *
 * @param interval how long output is gathered before it is shipped (and how long a job runs
 *     past its start report before its output is first shipped)
 * @param maxEventBytes the most bytes of output in one event
 * @param maxPendingBytes the most bytes gathered and not shipped yet, per job; beyond, the
 *     oldest are dropped
 * @param maxInFlightBytes the most bytes shipped and not yet accepted by the transport, per
 *     job; beyond, what would be shipped is dropped
 */
public record ShippingLimits(Duration interval, int maxEventBytes, int maxPendingBytes,
    long maxInFlightBytes) {

  /** Every 200 ms, 32 KiB per event, 64 KiB pending and 128 KiB in flight per job. */
  public static final ShippingLimits DEFAULT = new ShippingLimits(Duration.ofMillis(200),
      32 * 1024, 64 * 1024, 128 * 1024);

  /** Checks the values. */
  public ShippingLimits {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("shipping interval must be positive: " + interval);
    }
    if (maxEventBytes < 1 || maxPendingBytes < 1 || maxInFlightBytes < maxEventBytes) {
      throw new IllegalArgumentException("shipping limits must be positive, in flight at "
          + "least one event: " + maxEventBytes + ", " + maxPendingBytes + ", "
          + maxInFlightBytes);
    }
  }
}
