package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.StoreHealth;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Run finished(String task, RunStatus status, long millis) {
    Message m = new Message("m1", "a.b", null, "m1", null, null, T0);
    return Run.queued("r1", task, m, 1, T0).started("w", T0)
        .finished(status, 0, null, "", T0.plusMillis(millis));
  }

  @Test
  void countsRunsByTaskAndStatusAndRecordsDurations() {
    Metrics metrics = new Metrics();
    metrics.onRun(finished("t", RunStatus.SUCCEEDED, 300));
    metrics.onRun(finished("t", RunStatus.SUCCEEDED, 2_000));
    metrics.onRun(finished("t", RunStatus.FAILED, 50));
    Message m = new Message("m2", "a.b", null, "m2", null, null, T0);
    metrics.onRun(Run.queued("r2", "t", m, 1, T0)
        .finished(RunStatus.SKIPPED, null, "parent task 'p' has not run", "", T0));
    String text = metrics.render(new Metrics.Gauges(true, 3, 1, Map.of("start", 4L)));
    assertThat(text)
        .contains("angora_runs_total{task=\"t\",status=\"SUCCEEDED\"} 2\n")
        .contains("angora_runs_total{task=\"t\",status=\"FAILED\"} 1\n")
        .contains("angora_runs_total{task=\"t\",status=\"SKIPPED\"} 1\n")
        .contains("angora_run_duration_seconds_bucket{task=\"t\",le=\"0.1\"} 1\n")
        .contains("angora_run_duration_seconds_bucket{task=\"t\",le=\"0.5\"} 2\n")
        .contains("angora_run_duration_seconds_bucket{task=\"t\",le=\"5.0\"} 3\n")
        .contains("angora_run_duration_seconds_bucket{task=\"t\",le=\"+Inf\"} 3\n")
        .contains("angora_run_duration_seconds_count{task=\"t\"} 3\n")
        .containsPattern("angora_run_duration_seconds_sum\\{task=\"t\"} 2\\.3[45]")
        .contains("angora_queue_depth{queue=\"start\"} 4\n")
        .contains("angora_tasks 3\n")
        .contains("angora_workers_alive 1\n")
        .contains("angora_up 1\n");
  }

  @Test
  void showsTheRunStoresPendingAndRefusedWrites() {
    StoreHealth health = new StoreHealth() {
      @Override
      public int pendingWrites() {
        return 17;
      }

      @Override
      public int maxPendingWrites() {
        return 10_000;
      }

      @Override
      public long refusedWrites() {
        return 2;
      }

      @Override
      public boolean writesFailing() {
        return true;
      }
    };
    String text = new Metrics().render(new Metrics.Gauges(true, 0, 0, Map.of(), health));
    assertThat(text).contains("angora_store_pending_writes 17\n")
        .contains("angora_store_max_pending_writes 10000\n")
        .contains("# TYPE angora_store_refused_writes_total counter\n")
        .contains("angora_store_refused_writes_total 2\n")
        .contains("angora_store_writes_failing 1\n");
    assertThat(new Metrics().render(new Metrics.Gauges(true, 0, 0, Map.of())))
        .doesNotContain("angora_store_");
  }

  @Test
  void escapesLabelValues() {
    Metrics metrics = new Metrics();
    metrics.onRun(finished("we\"ird\\task\nname", RunStatus.SUCCEEDED, 1));
    assertThat(metrics.render(new Metrics.Gauges(false, 0, 0, Map.of())))
        .contains("angora_runs_total{task=\"we\\\"ird\\\\task\\nname\",status=\"SUCCEEDED\"} 1")
        .contains("angora_up 0");
  }
}
