package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.angora.amqp.AmqpTransport;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.engine.Role;
import io.angora.http.AngoraHttpServer;
import io.angora.http.HttpOptions;
import io.angora.jdbc.JdbcRunStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plain AMQP client publishes messages whose send time no database column can hold (header
 * {@code angora-sent-at: +300000-01-01T00:00:00Z}, or a {@code timestamp} property in the year
 * 300000) through the real broker to a coordinator with a real store (a SQLite file, then
 * PostgreSQL): each is dead-lettered at decode with its reason, nothing of it reaches the store,
 * and every message sent after it is recorded and run, the last one at the wire's latest instant.
 */
class OutOfRangeSendTimeIT {
  private static final String AMQP = CoordinatorCrashIT.AMQP;
  private static final String PG = CoordinatorCrashIT.PG;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int LATER = 5;

  @TempDir Path work;
  private final String prefix = "range-" + UUID.randomUUID().toString().substring(0, 8);
  private final String schema = "angora_range_" + UUID.randomUUID().toString()
      .replace("-", "").substring(0, 12);
  private final List<AutoCloseable> open = new ArrayList<>();
  private boolean schemaMade;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (schemaMade) {
      try (var c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
    CoordinatorCrashIT.deleteQueues(prefix);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  @Timeout(180)
  void aSendTimeNoColumnCanHoldIsDeadLetteredAndTheMessagesAfterItAreRecordedAndRun(
      String database) throws Exception {
    RunStore store = store(database);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Angora coordinator = started(Angora.builder().role(Role.COORDINATOR).runStore(store)
        .task(TaskDefinition.builder("step").triggers("range.*").command("true").build())
        .transport(transport(key, "coordinator")).build());
    started(Angora.builder().role(Role.WORKER).concurrency(2)
        .transport(transport(key, "worker")).build());
    AngoraHttpServer http = AngoraHttpServer.start(coordinator,
        HttpOptions.builder().port(0).build());
    open.add(http);

    List<AMQP.BasicProperties> sent = new ArrayList<>();
    sent.add(plain().headers(Map.of("angora-sent-at", "+300000-01-01T00:00:00Z")).build());
    sent.add(plain().timestamp(Date.from(Instant.parse("+300000-01-01T00:00:00Z"))).build());
    for (int i = 0; i < LATER - 1; i++) {
      sent.add(plain().messageId("later-" + i).build());
    }
    // At the wire's latest instant: accepted, and the store holds it.
    sent.add(plain().messageId("later-last")
        .headers(Map.of("angora-sent-at", "9999-12-31T23:59:59.999Z")).build());
    publish(sent);

    await().atMost(WAIT).until(() -> succeeded(coordinator).size() == LATER);
    List<Map<String, Object>> dead = deadLetters(2);
    assertThat(dead).extracting(h -> h.get("angora-dead-reason").toString())
        .containsExactlyInAnyOrder(
            "header angora-sent-at is +300000-01-01T00:00:00Z, outside the years 2000 to 9999 "
                + "a delivery may carry",
            "timestamp property is +300000-01-01T00:00:00Z, outside the years 2000 to 9999 a "
                + "delivery may carry");
    assertThat(dead).extracting(h -> h.get("angora-dead-from").toString())
        .containsOnly("/" + prefix + ".initialize");

    List<Message> recorded = coordinator.runs().recentMessages(100);
    assertThat(recorded).extracting(Message::id).containsExactlyInAnyOrder("later-0", "later-1",
        "later-2", "later-3", "later-last");
    assertThat(coordinator.runs().findMessage("later-last").orElseThrow().sentAt())
        .isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
    assertThat(succeeded(coordinator)).extracting(Run::message).containsOnly("range.go");
    assertThat(coordinator.runs().unfinished()).isEmpty();

    // The store refused nothing: the bad send times never reached it.
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(http.url() + "metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("angora_store_refused_writes_total 0")
        .contains("angora_store_writes_failing 0").contains("angora_store_pending_writes");
  }

  private static AMQP.BasicProperties.Builder plain() {
    return new AMQP.BasicProperties.Builder().deliveryMode(2);
  }

  private RunStore store(String database) throws Exception {
    if (database.equals("sqlite")) {
      return JdbcRunStore.sqlite(work.resolve("angora.db"));
    }
    try (var c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    schemaMade = true;
    return JdbcRunStore.open(PG + "&currentSchema=" + schema);
  }

  private AmqpTransport transport(byte[] key, String name) {
    return AmqpTransport.builder().uri(AMQP).queuePrefix(prefix).connectionName(name)
        .secret(key).build();
  }

  private Angora started(Angora angora) {
    open.add(angora);
    angora.start();
    return angora;
  }

  private static List<Run> succeeded(Angora coordinator) {
    return coordinator.runs().query(RunQuery.newest(100).withStatus(RunStatus.SUCCEEDED)).runs();
  }

  private void publish(List<AMQP.BasicProperties> each) throws Exception {
    try (Connection c = CoordinatorCrashIT.factory().newConnection();
        Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (AMQP.BasicProperties properties : each) {
        ch.basicPublish("", prefix + ".initialize", properties,
            "range.go".getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(30_000);
    }
  }

  /** Takes the dead letters once there are this many, oldest first, and their headers. */
  private List<Map<String, Object>> deadLetters(int count) throws Exception {
    try (Connection c = CoordinatorCrashIT.factory().newConnection();
        Channel ch = c.createChannel()) {
      String queue = prefix + ".dead";
      await().atMost(WAIT).until(() -> ch.queueDeclarePassive(queue).getMessageCount() == count);
      List<Map<String, Object>> headers = new ArrayList<>();
      for (GetResponse r; (r = ch.basicGet(queue, true)) != null; ) {
        headers.add(r.getProps().getHeaders());
      }
      return headers;
    }
  }
}
