package io.angora.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the throughput harness on a tiny burst in every mode, so that it cannot rot: each mode
 * that can run here counts every run; the others say why not. No timing is asserted.
 */
class ThroughputIT {

  @Test
  void everyAvailableModeCountsEveryRun() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ThroughputOptions options = ThroughputOptions.parse("--mode", "all", "--jobs", "20",
        "--concurrency", "2", "--warmup-jobs", "10", "--latency-jobs", "10", "--timeout", "60");

    List<ModeResult> results;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      results = new Throughput(options, out).run();
    }

    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(results).extracting(ModeResult::mode)
        .containsExactly(DeploymentMode.values());
    assertThat(results).filteredOn(r -> r.ran() && r.mode() != DeploymentMode.CELERY)
        .isNotEmpty().allSatisfy(r -> {
      assertThat(r.counted()).isEqualTo(20);
      assertThat(r.start().count()).isEqualTo(10);
      assertThat(r.result().count()).isEqualTo(10);
      assertThat(r.jobsPerSecond()).isPositive();
      assertThat(r.bareJobsPerSecond()).isPositive();
    });
    assertThat(results).filteredOn(r -> r.ran() && r.mode() == DeploymentMode.CELERY)
        .allSatisfy(r -> {
          assertThat(r.counted()).isEqualTo(20);
          assertThat(r.jobsPerSecond()).isPositive();
          assertThat(report).contains("Angora (amqp+sqlite) / Celery: ");
        });
    assertThat(results).filteredOn(r -> !r.ran())
        .allSatisfy(r -> assertThat(r.unavailable()).containsAnyOf("io.angora.", "celery"));
    assertThat(report).contains("idle embedded engine, 1000 tasks", "| embedded | ",
        "| embedded+sqlite | ", "| amqp+sqlite | ", "Angora (amqp+sqlite) / bare spawn loop: ",
        "ProcessBuilder, output discarded", "C posix_spawn, 2 loops");
    assertThat(results).filteredOn(r -> r.ran() && r.mode() != DeploymentMode.CELERY)
        .allSatisfy(r -> {
          assertThat(r.discardJobsPerSecond()).isPositive();
          // 20 jobs of a bare loop can take less CPU than one tick of /proc's counters: its
          // figure may be 0, the mode's (an engine, more work per job) may not.
          assertThat(r.cpuMicrosPerJob()).isPositive();
          assertThat(r.bareCpuMicrosPerJob()).isNotNegative();
        });
    // without cc the report says the C loop was skipped, and why
    if (!report.contains("C posix_spawn loop skipped")) {
      assertThat(results).filteredOn(r -> r.ran() && r.mode() != DeploymentMode.CELERY)
          .allSatisfy(r -> assertThat(r.cJobsPerSecond()).isPositive());
    }
  }
}
