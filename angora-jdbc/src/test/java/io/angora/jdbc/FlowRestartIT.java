package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs held back by a concurrency group wait QUEUED in an SQLite file; an Angora started again
 * on the file takes them up in the same order (priority, then queue time and id) and keeps the
 * limit.
 */
class FlowRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  private static TaskDefinition inLane(String name, int priority, String command) {
    return TaskDefinition.builder(name).triggers("flow." + name).command(command)
        .concurrencyGroup("lane", 1).priority(priority).replay(0).build();
  }

  private static final List<TaskDefinition> TASKS = List.of(inLane("blocker", 0, "sleep 1"),
      inLane("low", 1, "true"), inLane("high", 9, "true"));

  private Angora start(Path db) {
    Angora angora = Angora.builder().runStore(JdbcRunStore.sqlite(db))
        .task(TASKS.toArray(TaskDefinition[]::new)).shutdownGrace(Duration.ofSeconds(10))
        .build();
    angora.start();
    return angora;
  }

  private static int priority(String task) {
    return TASKS.stream().filter(t -> t.name().equals(task)).findFirst().orElseThrow().flow()
        .priority();
  }

  private static List<Run> runs(Angora angora) {
    return angora.runs().query(RunQuery.newest(100)).runs();
  }

  @Test
  @Timeout(120)
  void waitingRunsComeBackInOrderAfterARestartOnTheSameFile() throws Exception {
    Path db = dir.resolve("angora.db");
    List<String> waiting;
    try (Angora first = start(db)) {
      first.send("flow.blocker");
      await().atMost(WAIT).until(() -> runs(first).stream()
          .anyMatch(r -> r.task().equals("blocker")));
      for (String task : List.of("low", "high", "low", "high", "blocker")) {
        first.send("flow." + task);
      }
      await().atMost(WAIT).until(() -> runs(first).size() == 6);
      waiting = runs(first).stream().filter(r -> r.status() == RunStatus.QUEUED)
          .sorted(Comparator.comparing((Run r) -> -priority(r.task()))
              .thenComparing(r -> r.queuedAt().truncatedTo(ChronoUnit.MILLIS))
              .thenComparing(Run::id))
          .map(Run::id).toList();
      assertThat(waiting).hasSize(5);
      assertThat(first.flowHold("low")).hasValueSatisfying(
          why -> assertThat(why).contains("concurrency group lane full: 1 of 1 running"));
    }

    try (Angora second = start(db)) {
      assertThat(second.awaitIdle(WAIT)).isTrue();
      List<Run> all = runs(second);
      assertThat(all).hasSize(6).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
      List<Run> byStart = all.stream()
          .sorted(Comparator.comparing(r -> Objects.requireNonNull(r.startedAt()))).toList();
      assertThat(byStart.stream().map(Run::id).filter(waiting::contains).toList())
          .as("the waiting runs in their order").isEqualTo(waiting);
      for (int i = 1; i < byStart.size(); i++) {
        assertThat(byStart.get(i).startedAt()).as("one run of the lane at once")
            .isAfterOrEqualTo(byStart.get(i - 1).finishedAt());
      }
    }
  }
}
