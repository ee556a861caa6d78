package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coordinator (the packaged CLI, a separate JVM, PostgreSQL store, real RabbitMQ) killed
 * with SIGKILL at each step of its flow through the {@code angora.fault} hook, then started
 * again: every message's runs are recorded and run exactly once (each job appends a line to a
 * file), every follow-up is sent once, nothing is left QUEUED or RUNNING.
 */
class CoordinatorCrashIT {
  static final Path JAR = Path.of("target", "angora-cli.jar");
  static final String AMQP = System.getenv().getOrDefault("ANGORA_AMQP_URI",
      "amqp://guest:guest@127.0.0.1:5672");
  static final String PG = System.getenv().getOrDefault("ANGORA_JDBC_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  private static final int MESSAGES = 5;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path work;
  private final String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 8);
  private final String schema = "angora_crash_" + UUID.randomUUID().toString()
      .replace("-", "").substring(0, 12);
  private final List<Process> processes = new ArrayList<>();
  private Path lines;
  private Path tasks;

  @BeforeEach
  void setUp() throws Exception {
    lines = work.resolve("ran.txt");
    tasks = Files.createDirectories(work.resolve("tasks"));
    writeTasks(tasks, work.resolve("count.sh"), lines);
    try (var c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    try (var c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    deleteQueues(prefix);
  }

  /**
   * Tasks whose jobs append "task run-id" to a file: {@code first} on {@code crash.go} sends
   * two follow-ups, each run by its own task.
   */
  static void writeTasks(Path tasks, Path script, Path lines) throws IOException {
    Files.writeString(script, "printf '%s %s\\n' \"$ANGORA_TASK\" \"$ANGORA_RUN_ID\" >> '"
        + lines + "'\n");
    Files.writeString(tasks.resolve("crash.yml"), """
        - name: first
          triggers: [crash.go]
          command: sh %1$s
          messages: [crash.next.a, crash.next.b]
        - name: second_a
          triggers: [crash.next.a]
          command: sh %1$s
        - name: second_b
          triggers: [crash.next.b]
          command: sh %1$s
        """.formatted(script));
  }

  @ParameterizedTest
  @ValueSource(strings = {"after-record-before-publish", "after-publish-before-ack",
      "while-recording-outcome", "with-follow-ups-pending"})
  @Timeout(300)
  void aCoordinatorKilledAtEachStepLosesNothingAndRunsNothingTwice(String point)
      throws Exception {
    String store = PG + "&currentSchema=" + schema;
    worker("w1");
    Path crashedLog = work.resolve("crashed.log");
    Process crashing = coordinator(store, point, crashedLog);
    send(prefix, MESSAGES, "crash.go");
    await().atMost(WAIT).until(() -> Files.readString(crashedLog)
        .contains("ANGORA-FAULT " + point));
    crashing.destroyForcibly(); // SIGKILL on Linux
    assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Path restartedLog = work.resolve("restarted.log");
    coordinator(store, null, restartedLog);
    int expected = MESSAGES * 3;
    await().atMost(WAIT).until(() -> count(store, "status = 'SUCCEEDED'") == expected);
    // Nothing more comes: no run twice, no follow-up twice.
    await().during(Duration.ofSeconds(3)).atMost(WAIT)
        .until(() -> count(store, "true") == expected && ran().size() == expected);

    assertThat(count(store, "status IN ('QUEUED', 'RUNNING')")).isZero();
    assertThat(count(store, "attempt > 1")).isZero();
    Map<String, Integer> byTask = new HashMap<>();
    for (String line : ran()) {
      byTask.merge(line.split(" ")[0], 1, Integer::sum);
    }
    assertThat(byTask).containsOnly(Map.entry("first", MESSAGES),
        Map.entry("second_a", MESSAGES), Map.entry("second_b", MESSAGES));
    // Each job line names a distinct run, and every recorded run ran.
    assertThat(ran().stream().map(l -> l.split(" ")[1]).distinct().count())
        .isEqualTo(expected);
    assertThat(messageCount(store, "crash.next.%")).as("follow-ups recorded once each")
        .isEqualTo(2L * MESSAGES);
    assertThat(deadLetters(prefix)).isZero();
  }

  /**
   * Messages from a plain AMQP client, without any {@code angora-*} header: with only a
   * {@code message-id} property (no send time), or only a {@code timestamp} property (no id; two
   * identical bodies a second apart). The coordinator is killed after publishing their jobs and
   * before acking them; restarted, it recognises them: each runs once.
   */
  @ParameterizedTest
  @ValueSource(strings = {"message-id", "timestamp"})
  @Timeout(300)
  void aPlainClientsMessageHandledAgainAfterACrashRunsOnce(String given) throws Exception {
    String store = PG + "&currentSchema=" + schema;
    worker("w1");
    Path crashedLog = work.resolve("crashed.log");
    Process crashing = coordinator(store, "after-publish-before-ack", crashedLog);
    long now = System.currentTimeMillis() / 1000 * 1000;
    List<AMQP.BasicProperties> plain = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder().deliveryMode(2);
      plain.add((given.equals("message-id") ? b.messageId("plain-" + UUID.randomUUID())
          : b.timestamp(new java.util.Date(now - 1000L * i))).build());
    }
    send(prefix, plain, "crash.go");
    await().atMost(WAIT).until(() -> Files.readString(crashedLog)
        .contains("ANGORA-FAULT after-publish-before-ack"));
    crashing.destroyForcibly();
    assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();

    coordinator(store, null, work.resolve("restarted.log"));
    int expected = plain.size() * 3;
    await().atMost(WAIT).until(() -> count(store, "status = 'SUCCEEDED'") == expected);
    await().during(Duration.ofSeconds(3)).atMost(WAIT)
        .until(() -> count(store, "true") == expected && ran().size() == expected);
    assertThat(ran()).filteredOn(l -> l.startsWith("first ")).hasSize(plain.size());
    assertThat(messageCount(store, "crash.go")).as("each message recorded once")
        .isEqualTo(plain.size());
    assertThat(count(store, "status IN ('QUEUED', 'RUNNING')")).isZero();
    assertThat(deadLetters(prefix)).isZero();
  }

  /**
   * Two identical messages with nothing to tell them apart (no id, no time) are two messages:
   * both run.
   */
  @org.junit.jupiter.api.Test
  @Timeout(300)
  void twoIdenticalBareMessagesBothRun() throws Exception {
    String store = PG + "&currentSchema=" + schema;
    worker("w1");
    coordinator(store, null, work.resolve("coordinator.log"));
    AMQP.BasicProperties bare = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    send(prefix, List.of(bare, bare), "crash.go");
    await().atMost(WAIT).until(() -> count(store, "status = 'SUCCEEDED'") == 6);
    assertThat(ran()).filteredOn(l -> l.startsWith("first ")).hasSize(2);
    assertThat(messageCount(store, "crash.go")).isEqualTo(2);
  }

  List<String> ran() throws IOException {
    return Files.exists(lines) ? Files.readAllLines(lines) : List.of();
  }

  Process worker(String name) throws IOException {
    return spawn(List.of("worker", "--amqp", AMQP, "--queue-prefix", prefix, "--name", name,
        "--concurrency", "4"), null, work.resolve(name + ".log"));
  }

  Process coordinator(String store, String fault, Path log) throws IOException {
    return spawn(List.of("coordinator", "--tasks", tasks.toString(), "--store", store,
        "--amqp", AMQP, "--queue-prefix", prefix, "--no-http"), fault, log);
  }

  private Process spawn(List<String> args, String fault, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (fault != null) {
      command.add("-Dangora.fault=" + fault);
    }
    command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // The key that signs coordinator-worker traffic, where the CLI asks for one.
    builder.environment().put("ANGORA_SECRET_FILE", keyFile(work).toString());
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  /**
   * Publishes messages to {@code initialize} as any AMQP client may (persistent, confirmed),
   * each with its own id.
   */
  static void send(String prefix, int n, String text) throws Exception {
    List<AMQP.BasicProperties> each = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      each.add(new AMQP.BasicProperties.Builder().messageId("msg-" + UUID.randomUUID())
          .deliveryMode(2).timestamp(new java.util.Date()).build());
    }
    send(prefix, each, text);
  }

  /** Publishes one message per properties given, confirmed, once the coordinator is up. */
  static void send(String prefix, List<AMQP.BasicProperties> each, String text)
      throws Exception {
    try (Connection c = factory().newConnection()) {
      // The coordinator declares the queues: a message sent before would be dropped.
      await().atMost(WAIT).ignoreExceptions().until(() -> {
        try (Channel probe = c.createChannel()) {
          probe.queueDeclarePassive(prefix + ".initialize");
          return true;
        }
      });
      try (Channel ch = c.createChannel()) {
        ch.confirmSelect();
        for (AMQP.BasicProperties properties : each) {
          ch.basicPublish("", prefix + ".initialize", properties,
              text.getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(30_000);
      }
    }
  }

  /** A shared key file as the coordinator and workers require one (owner-only, 64 bytes). */
  static Path keyFile(Path dir) throws IOException {
    Path key = dir.resolve("angora.key");
    if (Files.exists(key)) {
      return key; // one key for every process of the test
    }
    byte[] bytes = new byte[64];
    new java.security.SecureRandom().nextBytes(bytes);
    Files.write(key, bytes);
    Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions
        .fromString("rw-------"));
    return key;
  }

  static long count(String store, String where) throws SQLException {
    try (var c = DriverManager.getConnection(store); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM runs WHERE " + where)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return 0; // the coordinator has not created its tables yet
      }
      throw e;
    }
  }

  static long messageCount(String store, String like) throws SQLException {
    try (var c = DriverManager.getConnection(store);
        var s = c.prepareStatement("SELECT count(*) FROM messages WHERE text LIKE ?")) {
      s.setString(1, like);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  static long deadLetters(String prefix) throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(prefix + ".dead").getMessageCount();
    }
  }

  static void deleteQueues(String prefix) throws Exception {
    try (Connection c = factory().newConnection()) {
      for (String q : List.of("initialize", "start", "replay", "results", "dead")) {
        try (Channel ch = c.createChannel()) {
          ch.queueDelete(prefix + "." + q);
        } catch (IOException | RuntimeException gone) {
          // never declared
        }
      }
    }
  }

  static ConnectionFactory factory() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(AMQP);
    return f;
  }
}
