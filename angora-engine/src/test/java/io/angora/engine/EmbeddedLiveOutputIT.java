package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.OutputChunk;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Angora#liveOutput}: a running job's output on the embedded engine, before it ends. */
class EmbeddedLiveOutputIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void theOutputOfARunningJobIsThereWhileItIsRunning() throws Exception {
    Path gate = dir.resolve("gate");
    assertThat(new ProcessBuilder("mkfifo", gate.toString()).start().waitFor(10,
        TimeUnit.SECONDS)).isTrue();
    InMemoryRunStore store = new InMemoryRunStore();
    try (Angora angora = Angora.builder().runStore(store).task(TaskDefinition.builder("slow")
        .triggers("go").command("sh -c 'echo first; echo warn >&2; cat \"$GATE\"'")
        .env("GATE", gate.toString()).build()).build()) {
      angora.start();
      angora.send("go");
      await().atMost(WAIT).until(() -> running(store) != null);
      String runId = running(store).id();

      await().atMost(WAIT).until(() -> angora.liveOutput(runId)
          .map(s -> s.text().contains("first") && s.text().contains("warn")).orElse(false));

      assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
      assertThat(angora.liveOutput(runId).orElseThrow().text(OutputChunk.Stream.STDERR))
          .isEqualTo("warn\n");
      Files.writeString(gate, "second\n", StandardCharsets.UTF_8);
      await().atMost(WAIT).until(() -> store.find(runId).orElseThrow().status().isFinal());
      assertThat(store.find(runId).orElseThrow().output()).contains("first\n", "second\n");
      assertThat(angora.liveOutput(runId)).isEmpty();
    }
  }

  private static Run running(InMemoryRunStore store) {
    return store.query(RunQuery.newest(10)).runs().stream()
        .filter(r -> r.status() == RunStatus.RUNNING).findFirst().orElse(null);
  }
}
