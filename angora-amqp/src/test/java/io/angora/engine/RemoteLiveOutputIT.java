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
import io.angora.amqp.internal.Signatures;
import io.angora.amqp.internal.Topology;
import io.angora.api.JobEvent;
import io.angora.api.OutputChunk;
import io.angora.api.OutputDecoder;
import io.angora.api.OutputListener;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live output of jobs run by a worker on its own connection (a separate {@link Angora} with
 * role WORKER, as a worker on another host): shipped to the coordinator as it is written,
 * followed there until the run ends, a character cut between two shipments whole, forged
 * output dead-lettered.
 */
class RemoteLiveOutputIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private String prefix;
  private Topology topology;
  private Connection raw;
  private Channel channel;
  private final List<Angora> engines = new ArrayList<>();
  private Angora coordinator;

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void start() throws Exception {
    prefix = AmqpTestBroker.uniquePrefix("live");
    topology = Topology.named(prefix);
    raw = AmqpTestBroker.rawFactory().newConnection(prefix + "-raw");
    channel = raw.createChannel();
    coordinator = Angora.builder().role(Role.COORDINATOR).task(
        TaskDefinition.builder("slow").triggers("slow.go")
            .command("sh -c 'echo first; echo oops >&2; sleep 5; echo second'").replay(0)
            .build(),
        TaskDefinition.builder("euro").triggers("euro.go")
            .command("sh -c 'printf \"\\342\\202\"; sleep 2; printf \"\\254 done\\n\"'")
            .replay(0).build())
        .heartbeat(Duration.ofMillis(500)).shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTestBroker.transport(prefix, "coordinator")).build();
    coordinator.start();
    engines.add(coordinator);
    Angora worker = Angora.builder().role(Role.WORKER).workerName("remote-1").concurrency(2)
        .heartbeat(Duration.ofMillis(500)).shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTestBroker.transport(prefix, "remote-1")).build();
    worker.start();
    engines.add(worker);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = engines.size() - 1; i >= 0; i--) {
      engines.get(i).close();
    }
    raw.close();
    AmqpTestBroker.deleteTopology(prefix);
  }

  private Run awaitRunning(Run queued) {
    await().atMost(WAIT).until(() -> coordinator.runs().find(queued.id()).orElseThrow()
        .status() == RunStatus.RUNNING);
    return coordinator.runs().find(queued.id()).orElseThrow();
  }

  private static final class Recorder implements OutputListener {
    final List<OutputChunk> chunks = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onChunk(OutputChunk chunk) {
      chunks.add(chunk);
    }

    @Override
    public void onEnd() {
      ended.countDown();
    }

    String text() {
      OutputDecoder decoder = new OutputDecoder();
      StringBuilder all = new StringBuilder();
      chunks.forEach(c -> all.append(decoder.decode(c)));
      return all.toString();
    }
  }

  @Test
  void aRemoteJobsOutputGrowsInTheCoordinatorAndIsFollowedToItsEnd() throws Exception {
    Run run = awaitRunning(coordinator.run("slow"));
    assertThat(run.worker()).isEqualTo("remote-1");

    await().atMost(WAIT).until(() -> coordinator.liveOutput(run.id())
        .map(o -> o.text().contains("oops")).orElse(false));
    assertThat(coordinator.runs().find(run.id()).orElseThrow().status())
        .isEqualTo(RunStatus.RUNNING);
    assertThat(coordinator.liveOutput(run.id()).orElseThrow().text(OutputChunk.Stream.STDERR))
        .isEqualTo("oops\n");

    Recorder recorder = new Recorder();
    Subscription following = coordinator.followOutput(run.id(), recorder).orElseThrow();
    assertThat(recorder.ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    following.close();
    assertThat(recorder.text()).isEqualTo("first\noops\nsecond\n");
    await().atMost(WAIT).until(() -> coordinator.runs().find(run.id()).orElseThrow()
        .status() == RunStatus.SUCCEEDED);
    assertThat(coordinator.liveOutput(run.id())).isEmpty(); // let go at the run's end
  }

  @Test
  void aCharacterCutBetweenTwoShipmentsArrivesWhole() throws Exception {
    Run run = awaitRunning(coordinator.run("euro"));
    // The first shipment holds the first two bytes of the euro sign, and only them.
    await().atMost(WAIT).until(() -> coordinator.liveOutput(run.id()).isPresent());
    Recorder recorder = new Recorder();
    coordinator.followOutput(run.id(), recorder).orElseThrow();
    assertThat(recorder.ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(recorder.chunks.get(0).bytes()).containsExactly(0xe2, 0x82);
    assertThat(recorder.chunks).hasSizeGreaterThan(1);
    assertThat(recorder.text()).isEqualTo("€ done\n");
    await().atMost(WAIT).until(() -> coordinator.runs().find(run.id()).orElseThrow()
        .status() == RunStatus.SUCCEEDED);
    assertThat(coordinator.runs().find(run.id()).orElseThrow().output()).isEqualTo("€ done\n");
  }

  @Test
  void forgedOutputIsDeadLetteredAndNeverShown() throws Exception {
    Run run = awaitRunning(coordinator.run("slow"));
    byte[] forged = EventCodec.encode(new JobEvent.JobOutput(run.id(), "slow", List.of(
        new OutputChunk(OutputChunk.Stream.STDOUT, 0, "pwned\n".getBytes(UTF_8))), "remote-1",
        Instant.now()));
    byte[] otherKey = Files.readAllBytes(AmqpTestBroker.keyFile()).clone();
    otherKey[3] ^= 1;
    AMQP.BasicProperties plain = new AMQP.BasicProperties.Builder()
        .contentType("application/json").deliveryMode(1).build();
    channel.basicPublish("", topology.results(), plain, forged);
    channel.basicPublish("", topology.results(), new Signatures(otherKey, Duration.ofHours(1),
        Clock.fixed(Instant.now(), ZoneOffset.UTC)).sign(plain, "", topology.results(), forged),
        forged);

    await().atMost(WAIT).until(() -> channel.messageCount(topology.dead()) >= 2);
    List<String> reasons = new ArrayList<>();
    for (GetResponse r = channel.basicGet(topology.dead(), true); r != null;
        r = channel.basicGet(topology.dead(), true)) {
      reasons.add(String.valueOf(r.getProps().getHeaders().get(DeadLetters.REASON)));
    }
    assertThat(reasons).hasSize(2).anyMatch(r -> r.startsWith("unsigned"))
        .anyMatch(r -> r.startsWith("forged"));

    await().atMost(WAIT).until(() -> coordinator.liveOutput(run.id())
        .map(o -> o.text().contains("first")).orElse(false));
    assertThat(coordinator.liveOutput(run.id()).orElseThrow().text()).doesNotContain("pwned");
    await().atMost(WAIT).until(() -> coordinator.runs().find(run.id()).orElseThrow()
        .status() == RunStatus.SUCCEEDED);
    assertThat(coordinator.runs().find(run.id()).orElseThrow().output())
        .doesNotContain("pwned");
  }
}
