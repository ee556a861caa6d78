package io.angora.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.angora.amqp.AmqpTestBroker;
import io.angora.amqp.AmqpTransport;
import io.angora.amqp.TcpProxy;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.api.Transport;
import io.angora.api.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator and several workers on RabbitMQ, as separate {@link Angora} instances (and one
 * separate JVM): sharing work, a worker killed mid-job or cut off (its lease expires), the
 * broker restarted mid-flight.
 */
class AmqpClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dir;
  private String prefix;
  private final List<Angora> engines = new ArrayList<>();
  private final List<Process> children = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();
  /** Heartbeats every 500 ms; the lease is three of them unless a test needs longer. */
  private Duration lease = Duration.ofMillis(1500);

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void prefix() {
    prefix = AmqpTestBroker.uniquePrefix("cluster");
  }

  @AfterEach
  void stop() {
    children.forEach(Process::destroyForcibly);
    for (int i = engines.size() - 1; i >= 0; i--) {
      engines.get(i).close();
    }
    for (TcpProxy proxy : proxies) {
      try {
        proxy.close();
      } catch (IOException e) {
        // the test is over; the sockets go with the JVM
      }
    }
    AmqpTestBroker.deleteQueues(prefix);
  }

  private Angora coordinator(TaskDefinition... tasks) {
    return coordinator(new InMemoryRunStore(), tasks);
  }

  private Angora coordinator(RunStore store, TaskDefinition... tasks) {
    Angora c = Angora.builder().role(Role.COORDINATOR).task(tasks).runStore(store)
        .heartbeat(Duration.ofMillis(500)).leaseLength(lease).shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTestBroker.transport(prefix, "coordinator")).build();
    c.start();
    engines.add(c);
    return c;
  }

  private Angora worker(String name, int concurrency) {
    return worker(name, concurrency, AmqpTestBroker.transport(prefix, name));
  }

  private Angora worker(String name, int concurrency, Transport transport) {
    Angora w = Angora.builder().role(Role.WORKER).workerName(name).concurrency(concurrency)
        .heartbeat(Duration.ofMillis(500)).leaseLength(lease)
        .shutdownGrace(Duration.ofSeconds(2)).transport(transport).build();
    w.start();
    engines.add(w);
    return w;
  }

  /** A task running a script that appends "run-id" to {@code executions}, then sleeps. */
  private TaskDefinition recordingTask(String name, String trigger, String sleep)
      throws IOException {
    Path script = dir.resolve(name + ".sh");
    Files.writeString(script, "echo \"$ANGORA_RUN_ID\" >> \"" + dir.resolve("executions")
        + "\"\nsleep " + sleep + "\n");
    return TaskDefinition.builder(name).triggers(trigger).command("sh " + script).replay(0)
        .build();
  }

  /**
   * A task replayed once after a failure, running a script that appends "start RUN" to
   * {@code executions}, sleeps (the first attempt long enough to be caught mid-job on a loaded
   * machine), then appends "done RUN".
   */
  private TaskDefinition leasedTask(String name, String trigger, String firstSleep,
      String replaySleep) throws IOException {
    Path script = dir.resolve(name + ".sh");
    Path file = dir.resolve("executions");
    Files.writeString(script, "echo \"start $ANGORA_RUN_ID\" >> \"" + file + "\"\n"
        + "if [ \"$ANGORA_ATTEMPT\" = 1 ]; then sleep " + firstSleep + "; else sleep "
        + replaySleep + "; fi\necho \"done $ANGORA_RUN_ID\" >> \"" + file + "\"\n");
    return TaskDefinition.builder(name).triggers(trigger).command("sh " + script).replay(1)
        .build();
  }

  private Map<String, Long> executions() throws IOException {
    Path file = dir.resolve("executions");
    if (!Files.exists(file)) {
      return Map.of();
    }
    return Files.readAllLines(file).stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static List<Run> runs(Angora coordinator) {
    return coordinator.runs().query(RunQuery.newest(1000)).runs();
  }

  @Test
  void threeWorkersShareThreeHundredJobs() {
    Angora coordinator = coordinator(
        TaskDefinition.builder("quick").triggers("job.*").command("true").replay(0).build());
    worker("w1", 2);
    worker("w2", 2);
    worker("w3", 2);

    for (int i = 0; i < 300; i++) {
      coordinator.send("job." + i);
    }

    await().atMost(WAIT).until(() -> runs(coordinator).stream()
        .filter(r -> r.status() == RunStatus.SUCCEEDED).count() == 300);
    List<Run> runs = runs(coordinator);
    assertThat(runs).hasSize(300);
    Map<String, Long> perWorker = runs.stream()
        .collect(Collectors.groupingBy(Run::worker, Collectors.counting()));
    assertThat(perWorker).containsOnlyKeys("w1", "w2", "w3");
    assertThat(perWorker.values()).allMatch(n -> n > 0);
  }

  @Test
  void aWorkerKilledMidJobIsInterruptedWhenItsLeaseExpiresAndReplayedOnce() throws Exception {
    Angora coordinator = coordinator(leasedTask("slow", "slow.go", "20", "1"));
    Process child = startChildWorker("doomed");

    coordinator.send("slow.go");
    Run first = awaitRunningAndAcked(coordinator, "doomed");
    worker("survivor", 1);

    child.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the broker
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertInterruptedAndReplayedOnce(coordinator, first, "doomed");
    // The killed JVM's job process is orphaned, not killed: it may still finish its copy.
    assertThat(executions()).containsEntry("start " + first.id(), 1L);
  }

  @Test
  void aWorkerCutOffMidJobIsInterruptedAndItsLateOutcomeIgnored() throws Exception {
    Angora coordinator = coordinator(leasedTask("slow", "slow.go", "20", "1"));
    TcpProxy proxy = new TcpProxy(AmqpTestBroker.host(), AmqpTestBroker.port());
    proxies.add(proxy);
    worker("cut", 1, AmqpTestBroker.builder().uri(AmqpTestBroker.uriVia(proxy.port()))
        .queuePrefix(prefix).connectionName(prefix + "-cut")
        .recoveryInterval(Duration.ofMillis(300)).heartbeat(Duration.ofSeconds(2)).build());

    coordinator.send("slow.go");
    Run first = awaitRunningAndAcked(coordinator, "cut");
    worker("survivor", 1);
    proxy.down(true); // the worker's connection is cut and cannot come back

    Run replay = assertInterruptedAndReplayedOnce(coordinator, first, "cut");
    proxy.down(false);
    // The cut-off worker finishes its copy and reports it once reconnected: too late.
    await().atMost(WAIT).until(() -> executions().containsKey("done " + first.id()));
    await().atMost(WAIT).until(() -> messagesIn(prefix + ".results") == 0);
    assertThat(coordinator.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(runs(coordinator)).hasSize(2);
    Run stillFirst = coordinator.runs().find(first.id()).orElseThrow();
    assertThat(stillFirst.status()).isEqualTo(RunStatus.FAILED);
    assertThat(stillFirst.reason()).contains("interrupted");
    assertThat(executions()).containsEntry("start " + first.id(), 1L)
        .containsEntry("start " + replay.id(), 1L).containsEntry("done " + replay.id(), 1L);
  }

  @Test
  void aRestartedCoordinatorLeavesNothingQueuedOrRunning() throws Exception {
    // What a crashed coordinator leaves in its store: a run whose job never reached the broker,
    // and a run whose worker is gone.
    TaskDefinition task = leasedTask("step", "step.*", "0", "0");
    InMemoryRunStore store = new InMemoryRunStore();
    Instant before = Instant.now().minusSeconds(60);
    Message lostJob = new Message("msg-lost", "step.lost", null, "wf-lost", null, null, before);
    Message lostWorker = new Message("msg-gone", "step.gone", null, "wf-gone", null, null,
        before);
    Run queued = Run.queued("0000-queued", "step", lostJob, 1, before);
    Run running = Run.queued("0000-running", "step", lostWorker, 1, before)
        .started("vanished", before.plusSeconds(1));
    store.insert(queued);
    store.insert(running);

    Angora coordinator = coordinator(store, task);
    worker("w1", 2);

    await().atMost(WAIT).until(() -> runs(coordinator).size() == 3
        && runs(coordinator).stream().allMatch(r -> r.status().isFinal()));
    assertThat(coordinator.awaitIdle(Duration.ofSeconds(10))).isTrue();
    // The queued run was dispatched again (same run id), and ran once.
    assertThat(store.find(queued.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    // The running one's lease expired: interrupted, replayed once.
    Run interrupted = store.find(running.id()).orElseThrow();
    assertThat(interrupted.status()).isEqualTo(RunStatus.FAILED);
    assertThat(interrupted.reason()).contains("interrupted").contains("vanished");
    Run replay = runs(coordinator).stream()
        .filter(r -> r.attempt() == 2 && r.messageId().equals("msg-gone")).findFirst()
        .orElseThrow();
    assertThat(replay.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(executions()).containsEntry("start " + queued.id(), 1L)
        .containsEntry("start " + replay.id(), 1L).doesNotContainKey("start " + running.id());
  }

  /** Waits until a worker runs the only run and its job left the queue (acknowledged). */
  private Run awaitRunningAndAcked(Angora coordinator, String worker) {
    await().atMost(WAIT).until(() -> runs(coordinator).stream()
        .anyMatch(r -> r.status() == RunStatus.RUNNING && worker.equals(r.worker())));
    // Acknowledged once its start report was confirmed: the broker would not hand it out again.
    await().atMost(WAIT).until(() -> messagesIn(prefix + ".start") == 0);
    return runs(coordinator).get(0);
  }

  /** The first run failed as interrupted, a replay succeeded elsewhere, and nothing else ran. */
  private Run assertInterruptedAndReplayedOnce(Angora coordinator, Run first, String lostWorker)
      throws Exception {
    await().atMost(WAIT).until(() -> runs(coordinator).size() == 2
        && runs(coordinator).stream().allMatch(r -> r.status().isFinal()));
    assertThat(coordinator.awaitIdle(Duration.ofSeconds(10))).isTrue();
    List<Run> runs = runs(coordinator);
    assertThat(runs).hasSize(2);
    Run interrupted = coordinator.runs().find(first.id()).orElseThrow();
    assertThat(interrupted.status()).isEqualTo(RunStatus.FAILED);
    assertThat(interrupted.worker()).isEqualTo(lostWorker);
    assertThat(interrupted.reason()).contains("interrupted").contains(lostWorker);
    Run replay = runs.stream().filter(r -> !r.id().equals(first.id())).findFirst().orElseThrow();
    assertThat(replay.attempt()).isEqualTo(2);
    assertThat(replay.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(replay.worker()).isEqualTo("survivor");
    assertThat(executions()).containsEntry("start " + replay.id(), 1L)
        .containsEntry("done " + replay.id(), 1L);
    return replay;
  }

  @Test
  void aBrokerRestartLosesNothingAndRunsNothingTwice() throws Exception {
    boolean ctl = rabbitmqctl("status", Duration.ofSeconds(30)) == 0;
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ctl).as("rabbitmqctl runnable by this user (needed under CI=true)").isTrue();
    }
    Assumptions.assumeTrue(ctl,
        "rabbitmqctl is not runnable by this user: broker restart test skipped");
    // Not a test of leases: long enough for every client to reconnect after the restart.
    lease = Duration.ofSeconds(20);
    Angora coordinator = coordinator(recordingTask("step", "step.*", "3"));
    Angora w1 = worker("w1", 2);
    worker("w2", 2);
    int sent = 16;
    for (int i = 0; i < sent; i++) {
      coordinator.send("step." + i);
    }
    int total = sent + 1;
    await().atMost(WAIT).until(() -> runs(coordinator).stream()
        .filter(r -> r.status() == RunStatus.RUNNING).count() >= 2);

    assertThat(rabbitmqctl("stop_app", Duration.ofSeconds(60))).isZero();
    Set<String> inFlight = runs(coordinator).stream()
        .filter(r -> r.status() == RunStatus.RUNNING).map(Run::id).collect(Collectors.toSet());
    try {
      // Where no coordinator runs, a send needs the broker and says it failed.
      assertThatThrownBy(() -> w1.send("step.elsewhere"))
          .isInstanceOf(TransportException.class);
      // The coordinator takes one sent in its own process: recorded now, its job dispatched
      // once the broker is back (a suspect, found in flight nowhere).
      Message down = coordinator.send("step.down");
      assertThat(coordinator.runs().workflow(down.workflowId())).hasSize(1);
    } finally {
      assertThat(rabbitmqctl("start_app", Duration.ofSeconds(60))).isZero();
    }

    await().atMost(WAIT).until(() -> runs(coordinator).size() == total
        && runs(coordinator).stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED));
    assertThat(coordinator.awaitIdle(Duration.ofSeconds(30))).isTrue();
    // Every job settled (none ready or unacked left) before counting executions.
    await().atMost(WAIT).until(() -> messagesIn(prefix + ".start") == 0);
    assertThat(runs(coordinator)).hasSize(total);
    Map<String, Long> executions = executions();
    assertThat(executions).hasSize(total);
    // Jobs are transient: the restart drops those waiting in the queue, and the coordinator
    // dispatches them again once no worker's heartbeat lists them; the jobs that were running
    // finish once on their worker and report after it reconnects.
    assertThat(executions.values()).as("executions per run").allMatch(n -> n == 1);
    assertThat(inFlight).as("jobs were running during the restart").isNotEmpty();
  }

  private Process startChildWorker(String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dangora.test.keyFile=" + AmqpTestBroker.keyFile(),
        ChildWorker.class.getName(), prefix, name, "1")
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("ANGORA_AMQP_URI", AmqpTestBroker.uri());
    Process p = pb.start();
    children.add(p);
    return p;
  }

  /** Ready plus unacknowledged messages of a queue, as the broker counts them. */
  private static long messagesIn(String queue) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("rabbitmqctl", "list_queues", "-q", "--no-table-headers",
        "name", "messages").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out.lines().map(l -> l.strip().split("\\s+"))
        .filter(cols -> cols.length == 2 && cols[0].equals(queue))
        .mapToLong(cols -> Long.parseLong(cols[1])).sum();
  }

  private static int rabbitmqctl(String command, Duration timeout) {
    try {
      Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

}
