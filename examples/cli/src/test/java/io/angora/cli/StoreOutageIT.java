package io.angora.cli;

import static io.angora.cli.CoordinatorCrashIT.AMQP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.tck.PrivatePostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator (the packaged CLI, a separate JVM, real RabbitMQ) on a private PostgreSQL that
 * is stopped for 20 s while 200 messages arrive, each running a task whose follow-up runs a
 * {@code parent_success} task (a store read per message): nothing is dead-lettered because the
 * database is away, and once it is back every message and run is recorded and run once. Messages
 * sent to the coordinator's own HTTP API meanwhile, which it takes without the broker while its
 * store keeps up, are accepted through the broker while the database is away.
 */
class StoreOutageIT {
  private static final int MESSAGES = 200;
  private static final int HTTP_MESSAGES = 3;
  private static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir Path work;
  private final String prefix = "outage-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Process> processes = new ArrayList<>();
  private PrivatePostgres postgres;

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (postgres != null) {
      postgres.close();
    }
    CoordinatorCrashIT.deleteQueues(prefix);
  }

  @Test
  @Timeout(400)
  void whileTheDatabaseIsStoppedMessagesWaitInTheBrokerAndAllAreRecordedAfterwards()
      throws Exception {
    postgres = PrivatePostgres.create();
    String store = postgres.jdbcUrl();
    Path lines = work.resolve("ran.txt");
    Path script = work.resolve("count.sh");
    Files.writeString(script, "printf '%s %s\\n' \"$ANGORA_TASK\" \"$ANGORA_RUN_ID\" >> '"
        + lines + "'\n");
    Path tasks = Files.createDirectories(work.resolve("tasks"));
    Files.writeString(tasks.resolve("outage.yml"), """
        - name: outage_first
          triggers: [outage.go]
          command: sh %1$s
          messages: [outage.done]
        - name: outage_join
          triggers: [outage.done]
          parent_success: true
          command: sh %1$s
        """.formatted(script));
    spawn(List.of("worker", "--amqp", AMQP, "--queue-prefix", prefix, "--name", "w1",
        "--concurrency", "4"), work.resolve("worker.log"));
    Path coordinatorLog = work.resolve("coordinator.log");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    spawn(List.of("coordinator", "--tasks", tasks.toString(), "--store", store, "--amqp", AMQP,
        "--queue-prefix", prefix, "--port", String.valueOf(port)), coordinatorLog);
    // Running, tables created: one message through before the outage.
    CoordinatorCrashIT.send(prefix, 1, "outage.go");
    await().atMost(WAIT).until(() -> CoordinatorCrashIT.count(store,
        "status = 'SUCCEEDED'") == 2);

    postgres.stop();
    long stoppedAt = System.nanoTime();
    // Sent to the coordinator's HTTP API while the database is stopped, before and after the
    // broker's messages, each accepted before it returns (the endpoint waits 10 s at most): the
    // coordinator takes such a message itself while its store keeps up; one it took and could
    // not make durable within 2 s, and every one sent once the store's writes fail, goes
    // through the broker.
    HttpClient http = HttpClient.newHttpClient();
    sendOverHttp(http, port);
    CoordinatorCrashIT.send(prefix, MESSAGES, "outage.go");
    for (int i = 1; i < HTTP_MESSAGES; i++) {
      sendOverHttp(http, port);
    }
    // The database stays away 20 s in all; meanwhile nothing may be dead-lettered.
    // (Other tests may restart the shared broker: a refused connection is looked at again.)
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
        .ignoreExceptionsInstanceOf(java.net.ConnectException.class)
        .until(() -> {
          assertThat(CoordinatorCrashIT.deadLetters(prefix)).isZero();
          return System.nanoTime() - stoppedAt >= Duration.ofSeconds(20).toNanos();
        });
    postgres.start();

    int runs = 2 * (MESSAGES + HTTP_MESSAGES + 1);
    await().atMost(WAIT).until(() -> CoordinatorCrashIT.count(store,
        "status = 'SUCCEEDED'") == runs);
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() ->
        CoordinatorCrashIT.count(store, "true") == runs
            && Files.readAllLines(lines).size() == runs);
    assertThat(CoordinatorCrashIT.count(store, "status <> 'SUCCEEDED'")).isZero();
    assertThat(CoordinatorCrashIT.messageCount(store, "outage.go"))
        .isEqualTo(MESSAGES + HTTP_MESSAGES + 1);
    assertThat(Files.readAllLines(lines).stream().map(l -> l.split(" ")[1]).distinct().count())
        .isEqualTo(runs);
    assertThat(CoordinatorCrashIT.deadLetters(prefix)).isZero();
    // The outage was felt: the store could not write while the database was stopped.
    assertThat(Files.readString(coordinatorLog)).contains("cannot write");
  }

  private static void sendOverHttp(HttpClient http, int port) throws Exception {
    HttpResponse<String> sent = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/send"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("msg=outage.go")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).as("POST /send during the outage: %s", sent.body())
        .isEqualTo(202);
  }

  private void spawn(List<String> args, Path log) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", CoordinatorCrashIT.JAR.toAbsolutePath().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ANGORA_SECRET_FILE",
        CoordinatorCrashIT.keyFile(work).toString());
    processes.add(builder.start());
  }
}
