package io.angora.engine.internal.live;

import io.angora.api.Cancellation;
import io.angora.api.Executor;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.LiveOutput;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import io.angora.api.Subscription;
import io.angora.api.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor of a worker on its own (no coordinator in its process): runs jobs with the
 * given executor and ships the live output of each job still running one interval past the
 * start-report delay to the coordinator, as {@link JobEvent.JobOutput} events
 * ({@link OutputShipment}). A job that ends sooner costs one timer entry and nothing on the
 * wire. The job never waits for the shipping: output that cannot be shipped in time is
 * dropped. Thread-safe.
 */
public final class ShippingExecutor implements Executor, LiveOutput, AutoCloseable {
  private final Executor executor;
  private final LiveOutput live;
  private final Transport transport;
  private final Clock clock;
  private final long firstNanos;
  private final ShippingLimits limits;
  private final ScheduledThreadPoolExecutor timer;

  private ShippingExecutor(Executor executor, LiveOutput live, Transport transport, Clock clock,
      Duration startReportDelay, ShippingLimits limits) {
    this.executor = executor;
    this.live = live;
    this.transport = transport;
    this.clock = clock;
    this.firstNanos = startReportDelay.plus(limits.interval()).toNanos();
    this.limits = limits;
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "angora-output-shipper");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true); // a quick job's entry goes at once
  }

  /**
   * Wraps an executor that has live output; any other is returned as it is (nothing to ship).
   *
   * @param executor runs the jobs
   * @param transport where the output goes
   * @param clock stamps the events
   * @param startReportDelay how long a job runs before the worker reports its start
   * @param limits how output is shipped
   * @return the shipping executor, or {@code executor}
   */
  public static Executor wrap(Executor executor, Transport transport, Clock clock,
      Duration startReportDelay, ShippingLimits limits) {
    return executor instanceof LiveOutput live
        ? new ShippingExecutor(executor, live, transport, clock, startReportDelay, limits)
        : executor;
  }

  @Override
  public JobEvent.JobFinished execute(Job job, String worker, Cancellation cancellation) {
    OutputShipment shipment = new OutputShipment(job, worker, transport, clock, limits);
    ScheduledFuture<?> ticks = null;
    try {
      ticks = timer.scheduleWithFixedDelay(
          () -> shipment.tick(listener -> live.followOutput(job.runId(), listener)),
          firstNanos, limits.interval().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      // closing: the job runs, its output is not shipped
    }
    try {
      return executor.execute(job, worker, cancellation);
    } finally {
      if (ticks != null) {
        ticks.cancel(false);
      }
      shipment.finish(); // before the outcome is reported, so the last output comes first
    }
  }

  @Override
  public Optional<OutputSnapshot> liveOutput(String runId) {
    return live.liveOutput(runId);
  }

  @Override
  public Optional<Subscription> followOutput(String runId, OutputListener listener) {
    return live.followOutput(runId, listener);
  }

  /** Stops shipping; the wrapped executor is its owner's to close. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
