package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.angora.amqp.AmqpTransport;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.engine.Role;
import io.angora.http.AngoraHttpServer;
import io.angora.http.HttpOptions;
import io.angora.tck.StreamedLines;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live output of jobs a worker in another JVM runs (the CLI's {@code angora worker} on
 * RabbitMQ), served by the coordinator's HTTP API over a real socket: the log while the run is
 * RUNNING, followed until it ends, a character cut between two shipments whole, and a follower
 * that never reads holding nothing back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteLiveLogIT {
  private static final String TOKEN = "remote-live-token";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path work;
  private final String prefix = "live-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private Angora coordinator;
  private AngoraHttpServer server;

  @BeforeAll
  void start() throws Exception {
    Path key = CoordinatorCrashIT.keyFile(work);
    coordinator = Angora.builder().role(Role.COORDINATOR).task(
        TaskDefinition.builder("slow").triggers("slow.go")
            .command("sh -c 'echo first; sleep 5; echo second'").replay(0).build(),
        TaskDefinition.builder("euro").triggers("euro.go")
            .command("sh -c 'printf \"\\342\\202\"; sleep 2; printf \"\\254 done\\n\"'")
            .replay(0).build(),
        TaskDefinition.builder("flood").triggers("flood.go")
            .command("sh -c 'sleep 1; head -c 8000000 /dev/zero | tr \"\\0\" x; echo; "
                + "echo end'").replay(0).build())
        .shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTransport.builder().uri(CoordinatorCrashIT.AMQP).queuePrefix(prefix)
            .connectionName(prefix + "-coordinator").secretFile(key).build())
        .build();
    coordinator.start();
    server = AngoraHttpServer.start(coordinator, HttpOptions.builder().port(0).token(TOKEN)
        .drain(Duration.ZERO).build());
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", CoordinatorCrashIT.JAR.toAbsolutePath().toString(), "worker",
        "--amqp", CoordinatorCrashIT.AMQP, "--queue-prefix", prefix, "--name", "far-away",
        "--concurrency", "2");
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(work.resolve("worker.log").toFile());
    builder.environment().put("ANGORA_SECRET_FILE", key.toString());
    processes.add(builder.start());
    await().atMost(WAIT).until(() -> coordinator.workers().stream()
        .anyMatch(w -> w.name().equals("far-away") && w.alive()));
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    coordinator.close();
    CoordinatorCrashIT.deleteQueues(prefix);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
        .header("Authorization", "Bearer " + TOKEN);
  }

  private String get(String path) throws Exception {
    return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private RunStatus status(Run run) {
    return coordinator.runs().find(run.id()).orElseThrow().status();
  }

  private Run awaitRunning(Run queued) {
    await().atMost(WAIT).until(() -> status(queued) == RunStatus.RUNNING);
    Run running = coordinator.runs().find(queued.id()).orElseThrow();
    assertThat(running.worker()).isEqualTo("far-away");
    return running;
  }

  private HttpResponse<InputStream> follow(Run run) throws Exception {
    HttpResponse<InputStream> followed = client.send(request("/api/runs/" + run.id()
        + "/log?follow=1").header("Accept", "application/x-ndjson").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(followed.statusCode()).isEqualTo(200);
    return followed;
  }

  @Test
  void aRemoteJobsLogGrowsWhileItRunsAndIsFollowedToItsEnd() throws Exception {
    Run run = awaitRunning(coordinator.run("slow"));

    await().atMost(WAIT).until(() -> get("/api/runs/" + run.id() + "/log").contains("first"));
    assertThat(status(run)).isEqualTo(RunStatus.RUNNING);
    assertThat(get("/api/runs/" + run.id() + "/log")).isEqualTo("first\n");
    JsonNode page = new ObjectMapper().readTree(get("/api/runs/" + run.id()));
    assertThat(page.get("status").asText()).isEqualTo("RUNNING");
    assertThat(page.get("output").asText()).isEqualTo("first\n");

    StreamedLines lines = StreamedLines.of(follow(run).body());
    assertThat(lines.until("first", WAIT))
        .contains("{\"stream\":\"STDOUT\",\"text\":\"first\\n\"}");
    assertThat(status(run)).isEqualTo(RunStatus.RUNNING);
    String rest = lines.until("\"end\":true", WAIT);
    assertThat(rest).contains("{\"stream\":\"STDOUT\",\"text\":\"second\\n\"}")
        .contains("\"status\":\"SUCCEEDED\"");
    assertThat(lines.until(StreamedLines.CLOSED, WAIT)).isEqualTo(StreamedLines.CLOSED + "\n");
  }

  @Test
  void aCharacterCutBetweenTwoShipmentsIsFollowedWhole() throws Exception {
    Run run = awaitRunning(coordinator.run("euro"));
    await().atMost(WAIT).until(() -> coordinator.liveOutput(run.id()).isPresent());
    StreamedLines lines = StreamedLines.of(follow(run).body());
    String read = lines.until("\"end\":true", WAIT);
    assertThat(read).contains("\"text\":\"€ done\\n\"").doesNotContain("\uFFFD")
        .doesNotContain("\\ufffd");
  }

  @Test
  void aFollowerThatNeverReadsHoldsNothingBack() throws Exception {
    Run run = awaitRunning(coordinator.run("flood"));
    HttpResponse<InputStream> stalled = follow(run); // never read
    await().atMost(WAIT).until(() -> status(run).isFinal());
    Run done = coordinator.runs().find(run.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.output()).endsWith("xxx\nend\n");
    // the worker goes on with the next job while that follower still holds its request
    Run next = awaitRunning(coordinator.run("slow"));
    await().atMost(WAIT).until(() -> get("/api/runs/" + next.id() + "/log").contains("first"));
    stalled.body().close();
  }
}
