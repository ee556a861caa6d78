package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskLoadException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting, stopping and restarting an engine with real processes. */
class LifecycleIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Angora engine(InMemoryRunStore store, Duration grace, TaskDefinition task) {
    return Angora.builder().runStore(store).task(task).shutdownGrace(grace)
        .replayBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
  }

  private static List<Run> runs(InMemoryRunStore store) {
    return store.query(RunQuery.newest(100)).runs();
  }

  @Test
  void closeLetsRunningJobsFinishWithinTheGracePeriod() {
    InMemoryRunStore store = new InMemoryRunStore();
    Angora angora = engine(store, Duration.ofSeconds(20),
        TaskDefinition.builder("short").triggers("go").command("sleep 0.5").build());
    angora.start();
    angora.send("go");
    await().atMost(WAIT).until(() -> runs(store).stream()
        .anyMatch(r -> r.status() == RunStatus.RUNNING));

    angora.close();

    assertThat(runs(store)).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED));
  }

  @Test
  void closeCancelsJobsStillRunningAfterTheGracePeriodAndNeverReportsThemSucceeded() {
    InMemoryRunStore store = new InMemoryRunStore();
    Angora angora = engine(store, Duration.ofMillis(200),
        TaskDefinition.builder("long").triggers("go").command("sleep 30").build());
    angora.start();
    angora.send("go");
    await().atMost(WAIT).until(() -> runs(store).stream()
        .anyMatch(r -> r.status() == RunStatus.RUNNING));

    angora.close();

    assertThat(runs(store)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(r.reason()).contains("grace");
    });
    assertThatThrownBy(() -> angora.send("go")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aRestartMarksRunsLeftUnfinishedAndReplaysThem() {
    InMemoryRunStore store = new InMemoryRunStore();
    Message message = new Message("m1", "go", null, "wf1", null, null, Instant.now());
    store.recordMessage(message);
    store.insert(Run.queued("00000000000001-000000", "task", message, 1, Instant.now())
        .started("gone-worker", Instant.now()));

    try (Angora angora = engine(store, Duration.ofSeconds(5),
        TaskDefinition.builder("task").triggers("go").command("true").replay(1).build())) {
      angora.start();

      await().atMost(WAIT).until(() -> runs(store).size() == 2
          && runs(store).get(0).status() == RunStatus.SUCCEEDED);
      Run interrupted = store.find("00000000000001-000000").orElseThrow();
      assertThat(interrupted.status()).isEqualTo(RunStatus.FAILED);
      assertThat(interrupted.reason()).contains("interrupted");
      assertThat(runs(store).get(0).attempt()).isEqualTo(2);
      assertThat(runs(store).get(0).workflowId()).isEqualTo("wf1");
    }
  }

  @Test
  void aFailedReloadKeepsTheTasksInForce() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("angora-reload");
    java.nio.file.Path file = dir.resolve("t.yml");
    java.nio.file.Files.writeString(file, "- name: a\n  triggers: [a]\n  command: 'true'\n");
    try (Angora angora = Angora.builder().tasks(dir).build()) {
      angora.start();
      java.nio.file.Files.writeString(file, "- name: a\n  triggers: [a]\n  comand: 'true'\n");

      assertThatThrownBy(angora::reload).isInstanceOf(TaskLoadException.class)
          .hasMessageContaining("t.yml:3");
      assertThat(angora.tasks()).extracting(TaskDefinition::name).containsExactly("a");

      java.nio.file.Files.writeString(file, "- name: b\n  triggers: [b]\n  command: 'true'\n");
      assertThat(angora.reload()).extracting(TaskDefinition::name).containsExactly("b");
    }
  }
}
