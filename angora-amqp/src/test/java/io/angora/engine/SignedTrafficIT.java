package io.angora.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.angora.amqp.AmqpTestBroker;
import io.angora.amqp.internal.DeadLetters;
import io.angora.amqp.internal.EventCodec;
import io.angora.amqp.internal.JobCodec;
import io.angora.amqp.internal.Signatures;
import io.angora.amqp.internal.Topology;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator and a worker sharing a key, attacked by a plain AMQP client that can publish to
 * the broker: jobs that are unsigned, forged, signed with another key, expired or tampered are
 * dead-lettered with their reason and never run; forged outcomes, cancellations and heartbeats
 * are dead-lettered and change nothing.
 */
class SignedTrafficIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private String prefix;
  private Topology topology;
  private final List<Angora> engines = new ArrayList<>();
  private Connection raw;
  private Channel channel;

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void open() throws Exception {
    prefix = AmqpTestBroker.uniquePrefix("signed");
    topology = Topology.named(prefix);
    raw = AmqpTestBroker.rawFactory().newConnection(prefix + "-attacker");
    channel = raw.createChannel();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = engines.size() - 1; i >= 0; i--) {
      engines.get(i).close();
    }
    raw.close();
    AmqpTestBroker.deleteTopology(prefix);
  }

  private Angora start(Role role, TaskDefinition... tasks) {
    AngoraBuilder b = Angora.builder().role(role).heartbeat(Duration.ofMillis(300))
        .shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTestBroker.transport(prefix, role.name().toLowerCase()));
    if (role == Role.COORDINATOR) {
      b.task(tasks);
    } else {
      b.workerName("w1").concurrency(2);
    }
    Angora angora = b.build();
    angora.start();
    engines.add(angora);
    return angora;
  }

  private static Signatures signer(byte[] key, Instant now) {
    return new Signatures(key, Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static byte[] key() throws Exception {
    return Files.readAllBytes(AmqpTestBroker.keyFile());
  }

  private static AMQP.BasicProperties plain() {
    return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
        .build();
  }

  private List<String> deadReasons(int expected) throws Exception {
    await().atMost(WAIT).until(() -> channel.messageCount(topology.dead()) >= expected);
    List<String> reasons = new ArrayList<>();
    for (GetResponse r = channel.basicGet(topology.dead(), true); r != null;
        r = channel.basicGet(topology.dead(), true)) {
      Object reason = r.getProps().getHeaders().get(DeadLetters.REASON);
      reasons.add(String.valueOf(reason));
    }
    return reasons;
  }

  @Test
  void forgedUnsignedExpiredAndTamperedJobsAreDeadLetteredAndNotRun() throws Exception {
    Path pwned = dir.resolve("pwned");
    Path ran = dir.resolve("ran");
    Angora coordinator = start(Role.COORDINATOR, TaskDefinition.builder("honest")
        .triggers("go").command("touch " + ran).replay(0).build());
    start(Role.WORKER);
    TaskDefinition evil = TaskDefinition.builder("evil").triggers("x")
        .command("sh -c 'id > " + pwned + "'").replay(0).build();
    String start = topology.start();
    byte[] body = JobCodec.encode(new Job("run-evil", evil,
        new Message("m-evil", "x", null, "wf-evil", null, null, Instant.now()), 1));
    byte[] otherKey = key().clone();
    otherKey[0] ^= 1;
    channel.basicPublish("", start, plain(), body); // unsigned
    channel.basicPublish("", start, new AMQP.BasicProperties.Builder().headers(Map.of(
        Signatures.HEADER, "v1:" + System.currentTimeMillis() + ":AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAA")).build(), body); // forged
    channel.basicPublish("", start, signer(otherKey, Instant.now()).sign(plain(), "", start,
        body), body);
    channel.basicPublish("", start, signer(key(), Instant.now().minus(Duration.ofHours(25)))
        .sign(plain(), "", start, body), body); // an old capture
    byte[] honest = JobCodec.encode(new Job("run-evil", TaskDefinition.builder("evil")
        .triggers("x").command("true").replay(0).build(), new Message("m-evil", "x", null, "wf-evil", null, null, Instant.now()), 1));
    channel.basicPublish("", start, signer(key(), Instant.now()).sign(plain(), "", start,
        honest), body); // signed one body, carries another
    // Signed for the results queue, replayed onto start.
    channel.basicPublish("", start, signer(key(), Instant.now()).sign(plain(), "",
        topology.results(), body), body);

    List<String> reasons = deadReasons(6);
    assertThat(reasons).hasSize(6);
    assertThat(reasons).filteredOn(r -> r.startsWith("unsigned")).hasSize(1);
    assertThat(reasons).filteredOn(r -> r.startsWith("forged")).hasSize(4);
    assertThat(reasons).filteredOn(r -> r.startsWith("expired")).hasSize(1);

    // The honest path still works, and is the only thing that ran or was recorded.
    coordinator.send("go");
    await().atMost(WAIT).until(() -> Files.exists(ran));
    await().atMost(WAIT).until(() -> runs(coordinator).stream()
        .anyMatch(r -> r.status() == RunStatus.SUCCEEDED));
    assertThat(pwned).doesNotExist();
    assertThat(runs(coordinator)).extracting(Run::task).containsExactly("honest");
  }

  @Test
  void forgedOutcomesCancellationsAndHeartbeatsChangeNothing() throws Exception {
    Path gate = dir.resolve("gate");
    Angora coordinator = start(Role.COORDINATOR, TaskDefinition.builder("slow").triggers("go")
        .command("sh -c 'while [ ! -e " + gate + " ]; do sleep 0.05; done'").replay(0).build());
    start(Role.WORKER);
    coordinator.send("go");
    await().atMost(WAIT).until(() -> runs(coordinator).stream()
        .anyMatch(r -> r.status() == RunStatus.RUNNING));
    Run running = runs(coordinator).get(0);
    byte[] finished = EventCodec.encode(new JobEvent.JobFinished(running.id(), "slow",
        RunStatus.FAILED, 66, "forged", "", "w1", Instant.now(), Instant.now()));
    byte[] heartbeat = EventCodec.encode(new JobEvent.WorkerHeartbeat("w-ghost", "evil", 99,
        List.of(running.id()), Instant.now()));
    byte[] otherKey = key().clone();
    otherKey[5] ^= 1;
    channel.basicPublish("", topology.results(), plain(), finished);
    channel.basicPublish("", topology.results(), signer(otherKey, Instant.now())
        .sign(plain(), "", topology.results(), heartbeat), heartbeat);
    byte[] cancel = running.id().getBytes(UTF_8);
    channel.basicPublish(topology.cancel(), "", new AMQP.BasicProperties(), cancel);

    List<String> reasons = deadReasons(3);
    assertThat(reasons).hasSize(3).allMatch(r -> r.startsWith("unsigned")
        || r.startsWith("forged"));
    assertThat(runs(coordinator).get(0).status()).isEqualTo(RunStatus.RUNNING);
    Files.createFile(gate);
    await().atMost(WAIT).until(() -> runs(coordinator).get(0).status().isFinal());
    Run done = runs(coordinator).get(0);
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.exitCode()).isEqualTo(0);
    assertThat(coordinator.workers()).noneMatch(w -> w.name().equals("w-ghost"));
  }

  private static List<Run> runs(Angora coordinator) {
    return coordinator.runs().query(RunQuery.newest(100)).runs();
  }
}
