package io.angora.amqp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.TaskDefinition;
import io.angora.api.TransportException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire format and the broker-specific behaviour of {@link AmqpTransport}. */
class AmqpWireIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String UUID7 =
      "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  private String prefix;
  private AmqpTransport transport;
  private Connection raw;
  private Channel channel;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void open() throws Exception {
    prefix = AmqpTestBroker.uniquePrefix("wire");
    transport = AmqpTestBroker.builder().queuePrefix(prefix)
        .connectionName(prefix).build();
    raw = AmqpTestBroker.rawFactory().newConnection(prefix + "-plain-client");
    channel = raw.createChannel();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    transport.close();
    raw.close();
    AmqpTestBroker.deleteTopology(prefix);
  }

  @Test
  void aPlainTextBodyFromAnyClientIsAMessage() throws Exception {
    Instant before = Instant.now();
    channel.basicPublish("", prefix + ".initialize", null, "example.step.1\n".getBytes(UTF_8));
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .timestamp(Date.from(Instant.parse("2026-01-02T03:04:05Z")))
        .headers(Map.of("angora-workflow-id", "wf-7", "angora-payload", "p é"))
        .messageId("plain-1").build();
    channel.basicPublish("", prefix + ".initialize", props, "example.step.2".getBytes(UTF_8));

    BlockingQueue<Delivery<Message>> received = new LinkedBlockingQueue<>();
    toClose.add(transport.consumeMessages(received::add));

    Message first = take(received).body();
    assertThat(first.text()).isEqualTo("example.step.1");
    assertThat(first.id()).matches(UUID7);
    assertThat(first.workflowId()).matches(UUID7).isNotEqualTo(first.id());
    assertThat(first.payload()).isNull();
    assertThat(first.parentRunId()).isNull();
    assertThat(first.task()).isNull();
    assertThat(first.sentAt()).isBetween(before.minusSeconds(1), Instant.now());
    Message second = take(received).body();
    assertThat(second).isEqualTo(new Message("plain-1", "example.step.2", "p é", "wf-7", null,
        null, Instant.parse("2026-01-02T03:04:05Z")));
  }

  @Test
  void malformedDeliveriesEndInTheDeadLetterQueueOnceWithTheirReason() throws Exception {
    String initialize = prefix + ".initialize";
    String start = prefix + ".start";
    String results = prefix + ".results";
    channel.basicPublish("", initialize, null, new byte[] {(byte) 0xC3, (byte) 0x28});
    channel.basicPublish("", initialize, null, "bell\u0007".getBytes(UTF_8));
    channel.basicPublish("", initialize, null, "x".repeat(256).getBytes(UTF_8));
    channel.basicPublish("", initialize, null, "  \n".getBytes(UTF_8));
    channel.basicPublish("", initialize, new AMQP.BasicProperties.Builder()
        .headers(Map.of("angora-task", 42)).build(), "ok.text".getBytes(UTF_8));
    channel.basicPublish("", initialize, new AMQP.BasicProperties.Builder()
        .headers(Map.of("angora-sent-at", "+300000-01-01T00:00:00Z")).build(),
        "ok.text".getBytes(UTF_8));
    channel.basicPublish("", initialize, new AMQP.BasicProperties.Builder()
        .headers(Map.of("angora-workflow-id", "../../etc")).build(), "ok.text".getBytes(UTF_8));
    channel.basicPublish("", initialize, null, "valid.message".getBytes(UTF_8));
    // Signed with the installation's key, so that it is the body that is refused.
    List<String> poison = List.of("{not json", "{\"v\":1,\"runId\":\"r\"}", "[]",
        "{\"v\":1,\"n\":1e9999999999}", "{\"v\":1e9999999999}", "{\"v\":2}",
        "[".repeat(100_000), "{\"v\":1,\"v\":1}", "{\"v\":" + "9".repeat(5000) + "}");
    for (String body : poison) {
      publishSigned(start, body);
    }
    for (String body : poison) {
      publishSigned(results, body);
    }
    publishSigned(results,
        "{\"v\":1,\"type\":\"exploded\",\"worker\":\"w\",\"at\":\"2026-01-01T00:00:00Z\"}");
    publishSigned(results, "{\"v\":1,\"type\":\"started\",\"runId\":\"r\",\"task\":\"t\","
        + "\"worker\":\"w\",\"at\":\"+300000-01-01T00:00:00Z\"}");
    publishSigned(results, "{\"v\":2,\"type\":\"started\",\"runId\":\"r\",\"task\":\"t\","
        + "\"worker\":\"w\",\"at\":\"2026-01-01T00:00:00Z\"}");
    int expected = 7 + poison.size() * 2 + 3;

    BlockingQueue<Delivery<Message>> messages = new LinkedBlockingQueue<>();
    BlockingQueue<Delivery<Job>> jobs = new LinkedBlockingQueue<>();
    BlockingQueue<Delivery<JobEvent>> events = new LinkedBlockingQueue<>();
    toClose.add(transport.consumeMessages(messages::add));
    toClose.add(transport.consumeJobs(2, jobs::add));
    toClose.add(transport.consumeEvents(events::add));

    assertThat(take(messages).body().text()).isEqualTo("valid.message");
    await().atMost(WAIT).until(() -> transport.queueDepths().get("dead") == (long) expected);
    // The consumers keep working after the poison, and nothing was redelivered in a loop.
    transport.dispatch(TestJobs.job("run-valid")).get(10, TimeUnit.SECONDS);
    transport.report(new JobEvent.JobStarted("run-valid", "t", "w", Instant.now()))
        .get(10, TimeUnit.SECONDS);
    assertThat(take(jobs).body().runId()).isEqualTo("run-valid");
    assertThat(take(events).body()).isInstanceOf(JobEvent.JobStarted.class);
    assertThat(messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(transport.queueDepths().get("dead")).isEqualTo((long) expected);
    List<String> reasons = new ArrayList<>();
    for (GetResponse dead = channel.basicGet(prefix + ".dead", true); dead != null;
        dead = channel.basicGet(prefix + ".dead", true)) {
      Map<String, Object> headers = dead.getProps().getHeaders();
      assertThat(headers).containsKeys("angora-dead-reason", "angora-dead-from");
      reasons.add(headers.get("angora-dead-reason").toString());
    }
    assertThat(reasons).hasSize(expected)
        .anyMatch(r -> r.contains("outside the years 2000 to 9999"))
        .anyMatch(r -> r.contains("nesting"))
        .anyMatch(r -> r.contains("format version 2"))
        .anyMatch(r -> r.contains("invalid workflow id"));
  }

  @Test
  void unsignedJobsAndEventsAreDeadLetteredWithTheirReason() throws Exception {
    channel.basicPublish("", prefix + ".start", null,
        new String(io.angora.amqp.internal.JobCodec.encode(TestJobs.job("run-x")), UTF_8)
            .getBytes(UTF_8));
    channel.basicPublish("", prefix + ".results", null, io.angora.amqp.internal.EventCodec
        .encode(new JobEvent.JobStarted("r", "t", "w", Instant.now())));
    BlockingQueue<Delivery<Job>> jobs = new LinkedBlockingQueue<>();
    BlockingQueue<Delivery<JobEvent>> events = new LinkedBlockingQueue<>();
    toClose.add(transport.consumeJobs(1, jobs::add));
    toClose.add(transport.consumeEvents(events::add));
    await().atMost(WAIT).until(() -> transport.queueDepths().get("dead") == 2L);
    assertThat(jobs).isEmpty();
    assertThat(events).isEmpty();
    GetResponse dead = channel.basicGet(prefix + ".dead", true);
    assertThat(dead.getProps().getHeaders().get("angora-dead-reason").toString())
        .startsWith("unsigned");
  }

  private void publishSigned(String queue, String body) throws Exception {
    byte[] bytes = body.getBytes(UTF_8);
    channel.basicPublish("", queue, new io.angora.amqp.internal.Signatures(
        java.nio.file.Files.readAllBytes(AmqpTestBroker.keyFile()), Duration.ofHours(1),
        java.time.Clock.systemUTC()).sign(new AMQP.BasicProperties(), "", queue, bytes), bytes);
  }

  @Test
  void depthsCountWaitingItemsAndTheTransportIsDurable() throws Exception {
    for (int i = 0; i < 3; i++) {
      transport.dispatch(TestJobs.job("run-" + i)).get(10, TimeUnit.SECONDS);
    }
    assertThat(transport.durable()).isTrue();
    await().atMost(WAIT).until(() -> transport.queueDepths().get("start") == 3L);
    assertThat(transport.queueDepths()).containsOnlyKeys("initialize", "start", "replay",
        "results", "dead");
  }

  @Test
  void thousandsOfPublicationsInFlightAreAllConfirmed() throws Exception {
    int total = 3000;
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      futures.add(transport.report(new JobEvent.JobStarted("run-" + i, "t", "w", Instant.now())));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    await().atMost(WAIT)
        .until(() -> transport.queueDepths().get("results") == (long) total);
  }

  @Test
  void anUnroutablePublicationFailsInsteadOfVanishing() throws Exception {
    channel.queueDelete(prefix + ".start");

    CompletableFuture<Void> future = transport.dispatch(TestJobs.job("run-lost"));

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TransportException.class)
        .hasMessageContaining(prefix + ".start");
  }

  @Test
  void unsettledJobsOfAWorkerThatGoesAwayGoToAnotherWorker() throws Exception {
    transport.dispatch(TestJobs.job("run-1")).get(10, TimeUnit.SECONDS);
    transport.dispatch(TestJobs.job("run-2")).get(10, TimeUnit.SECONDS);
    AmqpTransport first = AmqpTestBroker.builder().queuePrefix(prefix).build();
    BlockingQueue<Delivery<Job>> held = new LinkedBlockingQueue<>();
    first.consumeJobs(2, held::add);
    take(held);
    take(held);

    first.close(); // without settling: the broker gives both back

    BlockingQueue<Delivery<Job>> again = new LinkedBlockingQueue<>();
    toClose.add(transport.consumeJobs(2, again::add));
    Delivery<Job> a = take(again);
    Delivery<Job> b = take(again);
    assertThat(List.of(a.body().runId(), b.body().runId()))
        .containsExactlyInAnyOrder("run-1", "run-2");
    assertThat(a.redelivered()).isTrue();
    assertThat(b.redelivered()).isTrue();
  }

  @Test
  void aTransportWithoutAKeyOrInsecureIsRefused() {
    assertThatThrownBy(() -> AmqpTransport.builder().uri(AmqpTestBroker.uri()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no shared key")
        .hasMessageContaining("head -c 32 /dev/urandom");
  }

  @Test
  void anInvalidMessageIsRefusedBeforeItLeaves() {
    Message bad = new Message("m", "two\nlines", null, "wf", null, null, Instant.now());

    assertThatThrownBy(() -> transport.send(bad).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void connectingToNoBrokerFailsWithTransportException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AmqpTransportBuilder builder = AmqpTestBroker.builder().uri(AmqpTestBroker.uriVia(port))
        .connectTimeout(Duration.ofSeconds(2));

    assertThatThrownBy(builder::build).isInstanceOf(TransportException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }

  private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(item).as("an item within " + WAIT).isNotNull();
    return item;
  }

  /** Jobs for tests. */
  static final class TestJobs {
    private TestJobs() {}

    static Job job(String runId) {
      TaskDefinition task = TaskDefinition.builder("t").triggers("go").command("true").build();
      return new Job(runId, task, new Message("m-" + runId, "go", null, "wf", null, null,
          Instant.now()), 1);
    }
  }
}
