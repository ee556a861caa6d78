package io.angora.benchmarks;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/** Prints the harness's results as Markdown. Used by one harness thread. */
final class Report {
  private static final double MB = 1024.0 * 1024.0;

  private final PrintStream out;
  private final ThroughputOptions options;

  /**
   * Creates a report.
   *
   * @param out where to print
   * @param options what was run
   */
  Report(PrintStream out, ThroughputOptions options) {
    this.out = out;
    this.options = options;
  }

  /** Prints what ran where. */
  void header() {
    String mechanism = System.getProperty("jdk.lang.Process.launchMechanism");
    out.printf(Locale.ROOT, "Angora throughput harness, %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out.printf(Locale.ROOT, "jobs=%d warmup-jobs=%d concurrency=%d slices=%d latency-jobs=%d "
            + "cpus=%d java=%s max-heap=%.0fMB launchMechanism=%s%s%n", options.jobs(),
        options.warmupJobs(), options.concurrency(), options.slices(), options.latencyJobs(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory() / MB, mechanism == null ? "default" : mechanism,
        options.spawnExecutor() ? " executor=spawn (diagnostic: not Angora's executor)" : "");
    out.flush();
  }

  /**
   * Prints the idle-heap check.
   *
   * @param idle the measurement
   */
  void idleHeap(IdleHeap idle) {
    out.printf(Locale.ROOT, "idle embedded engine, %d tasks: heap used after GC %.1f MB "
            + "(engine's share %.1f MB)%n", idle.tasks(), idle.heapIdle() / MB,
        idle.engineBytes() / MB);
    out.flush();
  }

  /**
   * Prints one row per mode.
   *
   * @param results the results
   */
  void table(List<ModeResult> results) {
    out.println();
    out.println("| mode | jobs/s | bare spawn jobs/s | ratio | start p50 ms | start p99 ms "
        + "| result p50 ms | result p99 ms | JVM CPU µs/job (bare) | heap MB | RSS MB |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (ModeResult r : results) {
      if (!r.ran()) {
        out.printf(Locale.ROOT, "| %s | not available: %s | | | | | | | | | |%n",
            r.mode().label(), r.unavailable());
        continue;
      }
      Latencies start = r.start();
      Latencies result = r.result();
      if (start == null || result == null) { // Celery: throughput only
        out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.2f | | | | | | | |%n",
            r.mode().label(), r.jobsPerSecond(), r.bareJobsPerSecond(), r.ratio());
        continue;
      }
      out.printf(Locale.ROOT,
          "| %s | %.0f | %.0f | %.2f | %s | %s | %s | %s | %.0f (%.0f) | %.0f | %s |%n",
          r.mode().label(), r.jobsPerSecond(), r.bareJobsPerSecond(), r.ratio(),
          ms(start.percentile(50)), ms(start.percentile(99)),
          ms(result.percentile(50)), ms(result.percentile(99)),
          r.cpuMicrosPerJob(), r.bareCpuMicrosPerJob(), r.heapBytes() / MB, rss(r));
    }
    ratios(results);
    out.flush();
  }

  /** The two figures: distributed Angora against Celery and against the bare loop. */
  private void ratios(List<ModeResult> results) {
    ModeResult amqp = ran(results, DeploymentMode.AMQP);
    ModeResult celery = ran(results, DeploymentMode.CELERY);
    if (amqp == null) {
      return;
    }
    out.println();
    if (celery != null && celery.jobsPerSecond() > 0) {
      out.printf(Locale.ROOT, "Angora (%s) / Celery: %.2fx (%.0f vs %.0f jobs/s)%n",
          amqp.mode().label(), amqp.jobsPerSecond() / celery.jobsPerSecond(),
          amqp.jobsPerSecond(), celery.jobsPerSecond());
    } else {
      out.println("Angora / Celery: not measured (celery mode not run or not available)");
    }
    out.printf(Locale.ROOT, "Angora (%s) / bare spawn loop: %.2f%n", amqp.mode().label(),
        amqp.ratio());
  }

  private static @org.jspecify.annotations.Nullable ModeResult ran(List<ModeResult> results,
      DeploymentMode mode) {
    return results.stream().filter(r -> r.mode() == mode && r.ran()).findFirst().orElse(null);
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }

  private static String rss(ModeResult r) {
    String own = mb(r.rssBytes());
    return r.workerRssBytes().isPresent() ? own + " + worker " + mb(r.workerRssBytes()) : own;
  }

  private static String mb(OptionalLong bytes) {
    return bytes.isPresent() ? String.format(Locale.ROOT, "%.0f", bytes.getAsLong() / MB) : "?";
  }
}
