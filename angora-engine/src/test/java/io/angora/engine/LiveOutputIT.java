package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Cancellation;
import io.angora.api.Job;
import io.angora.api.JobEvent.JobFinished;
import io.angora.api.Message;
import io.angora.api.OutputChunk;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import io.angora.api.RunStatus;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The output of a running job, through {@link ProcessExecutor}'s {@link io.angora.api.LiveOutput}
 * with each launcher: real processes held at a gate (a FIFO) while the test looks.
 */
@ParameterizedClass
@EnumSource(value = ProcessExecutor.Launcher.class, names = {"JDK", "POSIX_SPAWN"})
class LiveOutputIT {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final ProcessExecutor executor;

  LiveOutputIT(ProcessExecutor.Launcher launcher) {
    this.executor = ProcessExecutor.builder().launcher(launcher).build();
  }

  @AfterEach
  void close() {
    executor.close();
  }

  /** Starts a job that prints, then waits at the gate, then prints what came through it. */
  private CompletableFuture<JobFinished> startGated(Path gate, String runId) throws Exception {
    new ProcessBuilder("mkfifo", gate.toString()).start().waitFor(10, TimeUnit.SECONDS);
    assertThat(gate).exists();
    TaskDefinition task = TaskDefinition.builder("gated").triggers("demo.go")
        .command("sh -c 'echo first; echo oops >&2; cat \"$GATE\"; echo done'")
        .env("GATE", gate.toString()).build();
    Message message = new Message("m", "demo.go", null, "wf", null, null, Instant.now());
    return CompletableFuture.supplyAsync(() -> executor.execute(
        new Job(runId, task, message, 1), "w", new Cancellation()));
  }

  private static void open(Path gate, String text) throws IOException {
    Files.writeString(gate, text, StandardCharsets.UTF_8);
  }

  @Test
  void showsTheOutputSoFarTaggedByStreamWhileTheJobRuns() throws Exception {
    Path gate = dir.resolve("gate");
    CompletableFuture<JobFinished> running = startGated(gate, "run-live");

    await().atMost(PATIENCE).until(() -> executor.liveOutput("run-live")
        .map(s -> s.text().contains("first") && s.text().contains("oops")).orElse(false));
    OutputSnapshot snapshot = executor.liveOutput("run-live").orElseThrow();

    assertThat(running).isNotDone();
    assertThat(snapshot.ended()).isFalse();
    assertThat(snapshot.text(OutputChunk.Stream.STDOUT)).isEqualTo("first\n");
    assertThat(snapshot.text(OutputChunk.Stream.STDERR)).isEqualTo("oops\n");
    assertThat(snapshot.written()).isEqualTo(11);
    assertThat(snapshot.dropped()).isZero();

    open(gate, "second\n");
    JobFinished finished = running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(finished.output()).contains("first\n", "oops\n", "second\ndone\n");
    assertThat(executor.liveOutput("run-live")).isEmpty();
  }

  @Test
  void aFollowerGetsTheOutputSoFarThenEachChunkThenTheEnd() throws Exception {
    Path gate = dir.resolve("gate");
    CompletableFuture<JobFinished> running = startGated(gate, "run-follow");
    await().atMost(PATIENCE).until(() -> executor.liveOutput("run-follow")
        .map(s -> s.written() == 11).orElse(false));
    List<OutputChunk> chunks = new CopyOnWriteArrayList<>();
    CountDownLatch ended = new CountDownLatch(1);

    Optional<Subscription> following = executor.followOutput("run-follow", new OutputListener() {
      @Override
      public void onChunk(OutputChunk chunk) {
        chunks.add(chunk);
      }

      @Override
      public void onEnd() {
        ended.countDown();
      }
    });
    assertThat(following).isPresent();
    assertThat(chunks).extracting(OutputChunk::stream).contains(OutputChunk.Stream.STDOUT,
        OutputChunk.Stream.STDERR);
    open(gate, "second\n");

    assertThat(ended.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status())
        .isEqualTo(RunStatus.SUCCEEDED);
    StringBuilder stdout = new StringBuilder();
    long position = 0;
    for (OutputChunk chunk : chunks) {
      assertThat(chunk.offset()).isEqualTo(position); // nothing missed, nothing twice
      position = chunk.end();
      if (chunk.stream() == OutputChunk.Stream.STDOUT) {
        stdout.append(chunk.text());
      }
    }
    assertThat(stdout).hasToString("first\nsecond\ndone\n");
    assertThat(position).isEqualTo(23);
  }

  @Test
  void aRunNotRunningHereHasNoLiveOutput() {
    assertThat(executor.liveOutput("nobody")).isEmpty();
    assertThat(executor.followOutput("nobody", chunk -> { })).isEmpty();
  }
}
