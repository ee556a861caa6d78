package io.angora.benchmarks;

import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What one mode measured, or why it did not run.
 *
 * @param mode the mode
 * @param unavailable why the mode did not run, or null when it ran
 * @param counted runs of the measured burst recorded as succeeded
 * @param jobsPerSecond burst throughput
 * @param bareJobsPerSecond the bare spawn loop measured just before it
 * @param cpuMicrosPerJob CPU time of the JVMs involved (harness, and worker for AMQP) during
 *     the burst, per job; the jobs' own processes not included
 * @param bareCpuMicrosPerJob the same for the bare spawn loop
 * @param discardJobsPerSecond the bare {@code ProcessBuilder} loop with output discarded
 * @param discardCpuMicrosPerJob its JVM CPU per job
 * @param cJobsPerSecond the C {@code posix_spawn} loop, 0 when it could not be built
 * @param cCpuMicrosPerJob the C program's own CPU per job
 * @param start send-to-start latencies of the latency round
 * @param result send-to-recorded-result latencies of the latency round
 * @param heapBytes heap used after GC in the harness JVM, at the end of the mode
 * @param rssBytes resident memory of the harness JVM
 * @param workerRssBytes resident memory of the separate worker JVM (AMQP)
 */
record ModeResult(DeploymentMode mode, @Nullable String unavailable, int counted,
    double jobsPerSecond, double bareJobsPerSecond, double cpuMicrosPerJob,
    double bareCpuMicrosPerJob, double discardJobsPerSecond, double discardCpuMicrosPerJob,
    double cJobsPerSecond, double cCpuMicrosPerJob, @Nullable Latencies start,
    @Nullable Latencies result, long heapBytes, OptionalLong rssBytes,
    OptionalLong workerRssBytes) {

  /**
   * A mode that could not run here.
   *
   * @param mode the mode
   * @param reason why
   * @return the result
   */
  static ModeResult unavailable(DeploymentMode mode, String reason) {
    return new ModeResult(mode, reason, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0,
        OptionalLong.empty(),
        OptionalLong.empty());
  }

  /** Whether the mode ran. */
  boolean ran() {
    return unavailable == null;
  }

  /** Throughput as a fraction of the bare spawn loop's. */
  double ratio() {
    return bareJobsPerSecond == 0 ? 0 : jobsPerSecond / bareJobsPerSecond;
  }

  /** Throughput as a fraction of the bare loop's with output discarded. */
  double discardRatio() {
    return discardJobsPerSecond == 0 ? 0 : jobsPerSecond / discardJobsPerSecond;
  }

  /** Throughput as a fraction of the C loop's; 0 without it. */
  double cRatio() {
    return cJobsPerSecond == 0 ? 0 : jobsPerSecond / cJobsPerSecond;
  }

  /** JVM CPU per job as a multiple of the bare loop's. */
  double cpuRatio() {
    return bareCpuMicrosPerJob == 0 ? 0 : cpuMicrosPerJob / bareCpuMicrosPerJob;
  }
}
