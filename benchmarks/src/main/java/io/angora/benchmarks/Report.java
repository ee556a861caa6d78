package io.angora.benchmarks;

import io.angora.engine.ProcessExecutor;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
            + "cpus=%d java=%s max-heap=%.0fMB launchMechanism=%s launcher=%s%s%n", options.jobs(),
        options.warmupJobs(), options.concurrency(), options.slices(), options.latencyJobs(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory() / MB, mechanism == null ? "default" : mechanism,
        launcher(), options.spawnExecutor() ? " executor=spawn (diagnostic: not Angora's executor)" : "");
    out.flush();
  }

  /** The launcher Angora's executor uses, {@code auto} resolved. */
  private String launcher() {
    if (options.launcher() == ProcessExecutor.Launcher.JDK) {
      return "jdk";
    }
    Optional<String> unavailable = ProcessExecutor.posixSpawnUnavailable();
    if (unavailable.isEmpty()) {
      return "posix_spawn";
    }
    return options.launcher() == ProcessExecutor.Launcher.AUTO
        ? "jdk (posix_spawn unavailable: " + unavailable.get() + ")" : "posix_spawn (unavailable)";
  }

  /**
   * Prints a line of remarks.
   *
   * @param text the remark
   */
  void note(String text) {
    out.println(text);
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
    floors(results);
    ratios(results);
    out.flush();
  }

  /** The floors measured beside each mode, and the ratios of issue 13's targets. */
  private void floors(List<ModeResult> results) {
    out.println();
    out.println("| mode | jobs/s | bare, pipes read | ratio (target) | ProcessBuilder, output "
        + "discarded | ratio (target) | C posix_spawn, " + options.concurrency()
        + " loops | ratio (target) | JVM CPU µs/job: mode / bare / discarded / C program "
        + "| CPU ratio to bare (target) |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (ModeResult r : results) {
      if (!r.ran() || r.mode() == DeploymentMode.CELERY) {
        continue; // Celery launches its own way: no floors beside it
      }
      String pipesTarget = switch (r.mode()) {
        case EMBEDDED -> " (≥ 0.90)";
        case SQLITE -> " (≥ 0.85)";
        default -> "";
      };
      boolean embedded = r.mode() == DeploymentMode.EMBEDDED;
      out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.2f%s | %.0f | %.2f%s | %s | %s | "
              + "%.0f / %.0f / %.0f / %s | %.2f%s |%n",
          r.mode().label(), r.jobsPerSecond(), r.bareJobsPerSecond(), r.ratio(), pipesTarget,
          r.discardJobsPerSecond(), r.discardRatio(), embedded ? " (≥ 0.7)" : "",
          r.cJobsPerSecond() == 0 ? "skipped" : String.format(Locale.ROOT, "%.0f",
              r.cJobsPerSecond()),
          r.cJobsPerSecond() == 0 ? "-" : String.format(Locale.ROOT, "%.2f%s", r.cRatio(),
              embedded ? " (≥ 0.6)" : ""),
          r.cpuMicrosPerJob(), r.bareCpuMicrosPerJob(), r.discardCpuMicrosPerJob(),
          r.cJobsPerSecond() == 0 ? "-" : String.format(Locale.ROOT, "%.0f",
              r.cCpuMicrosPerJob()),
          r.cpuRatio(), r.mode() == DeploymentMode.AMQP ? "" : " (≤ 1.3)");
    }
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
