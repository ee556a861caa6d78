package io.angora.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.amqp.AmqpTestBroker;
import io.angora.amqp.AmqpTransport;
import io.angora.api.JobEvent;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcomes batched into one publication keep the guarantees of outcomes sent one by one: a
 * worker killed (SIGKILL) while outcomes wait in its batch has their jobs run again elsewhere
 * and each run recorded once; a consumer killed after acknowledging part of a batch gets the
 * whole batch again, nothing of it lost.
 */
class OutcomeBatchIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dir;
  private String prefix;
  private final List<Angora> engines = new ArrayList<>();
  private final List<AmqpTransport> transports = new ArrayList<>();
  private final List<Process> children = new ArrayList<>();

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void prefix() {
    prefix = AmqpTestBroker.uniquePrefix("batch");
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    for (int i = engines.size() - 1; i >= 0; i--) {
      engines.get(i).close();
    }
    transports.forEach(AmqpTransport::close);
    AmqpTestBroker.deleteQueues(prefix);
  }

  @Test
  void aWorkerKilledWithOutcomesWaitingInItsBatchHasThemRunAgainAndEachRecordedOnce()
      throws Exception {
    Path script = dir.resolve("quick.sh");
    Files.writeString(script, "echo \"$ANGORA_RUN_ID\" >> \"" + dir.resolve("executions")
        + "\"\n");
    TaskDefinition task = TaskDefinition.builder("quick").triggers("quick.*")
        .command("sh " + script).replay(0).build();
    Angora coordinator = Angora.builder().role(Role.COORDINATOR).task(task)
        .runStore(new InMemoryRunStore()).heartbeat(Duration.ofMillis(500))
        .shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTestBroker.transport(prefix, "coordinator")).build();
    coordinator.start();
    engines.add(coordinator);
    // Concurrency 8 (prefetch 24): a batch leaves early at 8 outcomes, else after 10 s; no
    // start report, so each job's delivery stays unacknowledged until its outcome is confirmed.
    Process doomed = child(ChildWorker.class, prefix, "doomed", "8", "10000", "60000");
    int jobs = 3;
    for (int i = 0; i < jobs; i++) {
      coordinator.send("quick." + i);
    }
    await().atMost(WAIT).until(() -> executions().size() == jobs);
    // All three ran; their outcomes wait in the batch, unpublished.
    assertThat(runs(coordinator)).hasSize(jobs)
        .allMatch(r -> r.status() == RunStatus.QUEUED);

    doomed.destroyForcibly(); // SIGKILL: the batch dies with the JVM
    assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Angora survivor = Angora.builder().role(Role.WORKER).workerName("survivor").concurrency(2)
        .heartbeat(Duration.ofMillis(500)).shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTestBroker.transport(prefix, "survivor")).build();
    survivor.start();
    engines.add(survivor);

    await().atMost(WAIT).until(() -> runs(coordinator).stream()
        .filter(r -> r.status() == RunStatus.SUCCEEDED).count() == jobs);
    assertThat(coordinator.awaitIdle(Duration.ofSeconds(10))).isTrue();
    List<Run> runs = runs(coordinator);
    assertThat(runs).hasSize(jobs).allMatch(r -> "survivor".equals(r.worker()));
    // Each job ran on the killed worker, whose outcome never left it, then once more.
    assertThat(executions()).hasSize(jobs).allSatisfy((run, n) -> assertThat(n).isEqualTo(2));
    assertThat(executions().keySet())
        .containsExactlyInAnyOrderElementsOf(runs.stream().map(Run::id).toList());
  }

  @Test
  void aConsumerKilledWithAPartlyAcknowledgedBatchGetsTheWholeBatchAgain() throws Exception {
    Path handled = dir.resolve("handled");
    AmqpTransport sender = AmqpTestBroker.builder().queuePrefix(prefix)
        .connectionName(prefix + "-sender").outcomeBatchWindow(Duration.ofMillis(500)).build();
    transports.add(sender);
    Process dying = child(ChildEventConsumer.class, prefix, handled.toString());
    Instant now = Instant.now();
    List<String> runIds = List.of("run-a", "run-b", "run-c");
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (String id : runIds) {
      sent.add(sender.report(new JobEvent.JobFinished(id, "quick", RunStatus.SUCCEEDED, 0, null,
          "", "w", now, now)));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    // One delivery handed out as three; the consumer acknowledged the first only.
    await().atMost(WAIT).until(() -> lines(handled).size() == runIds.size());
    assertThat(lines(handled)).containsExactlyElementsOf(runIds);

    dying.destroyForcibly();
    assertThat(dying.waitFor(30, TimeUnit.SECONDS)).isTrue();
    AmqpTransport next = AmqpTestBroker.transport(prefix, "next-consumer");
    transports.add(next);
    List<String> again = new CopyOnWriteArrayList<>();
    List<Boolean> redelivered = new CopyOnWriteArrayList<>();
    next.consumeEvents(d -> {
      if (d.body() instanceof JobEvent.JobFinished f) {
        again.add(f.runId());
        redelivered.add(d.redelivered());
      }
      d.ack();
    });
    await().atMost(WAIT).until(() -> again.size() == runIds.size());
    assertThat(again).containsExactlyElementsOf(runIds);
    assertThat(redelivered).containsOnly(true);
    // Settled now: nothing comes a third time.
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> again.size() == runIds.size());
  }

  private Process child(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"),
        "-Dangora.test.keyFile=" + AmqpTestBroker.keyFile(), main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(main.getSimpleName() + ".log").toFile());
    pb.environment().put("ANGORA_AMQP_URI", AmqpTestBroker.uri());
    Process p = pb.start();
    children.add(p);
    Path log = dir.resolve(main.getSimpleName() + ".log");
    await().atMost(WAIT).until(() -> Files.readString(log, UTF_8).contains("started"));
    return p;
  }

  private Map<String, Long> executions() throws IOException {
    return lines(dir.resolve("executions")).stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private static List<Run> runs(Angora coordinator) {
    return coordinator.runs().query(RunQuery.newest(1000)).runs();
  }
}
