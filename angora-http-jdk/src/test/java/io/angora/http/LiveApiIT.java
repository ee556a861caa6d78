package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.tck.StreamedLines;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The live parts of the API over a real socket: the event stream (with the token), the log
 * followed while a job runs, {@code /send} saying when a message triggers nothing, and the run
 * filters by message and time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveApiIT {
  private static final String TOKEN = "live-token-1";

  private Angora angora;
  private AngoraHttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    angora = Angora.builder().task(
        TaskDefinition.builder("hello").triggers("greet.world").command("echo hello")
            .replay(0).build(),
        TaskDefinition.builder("slow").triggers("slow.go")
            .command("sh -c 'echo first; echo oops >&2; sleep 5; echo second'").replay(0).build(),
        TaskDefinition.builder("euro").triggers("euro.go")
            .command("sh -c 'printf \"\\342\\202\"; sleep 2; printf \"\\254 done\\n\"'")
            .replay(0).build())
        .concurrency(2).shutdownGrace(Duration.ofSeconds(1)).build();
    angora.start();
    server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0).token(TOKEN)
        .drain(Duration.ZERO).build());
  }

  @AfterAll
  void stop() {
    server.close();
    angora.close();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
        .header("Authorization", "Bearer " + TOKEN);
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    return client.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> response) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
  }

  private HttpResponse<InputStream> openEvents() throws Exception {
    return client.send(request("/api/events").build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static String until(StreamedLines lines, String wanted) throws Exception {
    return lines.until(wanted, Duration.ofSeconds(25));
  }

  @Test
  void theEventStreamNeedsTheTokenAndPushesRunsAndMessagesAsTheyHappen() throws Exception {
    HttpResponse<String> refused = client.send(HttpRequest.newBuilder(
        URI.create(server.url() + "api/events")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);

    HttpResponse<InputStream> stream = client.send(request("/api/events").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    StreamedLines lines = StreamedLines.of(stream.body());
    until(lines, ": connected");

    String workflow = json(post("/send", "msg=greet.world")).get("workflowId").asText();

    String read = until(lines, "\"status\":\"SUCCEEDED\"");
    assertThat(read).contains("event: message").contains("\"text\":\"greet.world\"")
        .contains("event: run").contains("\"status\":\"QUEUED\"")
        .contains("\"workflowId\":\"" + workflow + "\"");
    stream.body().close();
  }

  @Test
  void theEventStreamTellsWhenAWorkersRunningCountChanges() throws Exception {
    HttpResponse<InputStream> stream = openEvents();
    StreamedLines lines = StreamedLines.of(stream.body());
    until(lines, ": connected");
    Run run = angora.run("slow");
    // only worker events list run ids; the worker's next heartbeat lists this one
    String read = until(lines, "\"runIds\":[\"" + run.id() + "\"]");
    assertThat(read).contains("event: worker");
    until(lines, "\"runIds\":[]");
    stream.body().close();
  }

  @Test
  void anIdleStreamOutlivesTheRequestTimeLimitWithHeartbeats() throws Exception {
    HttpResponse<InputStream> stream = openEvents();
    StreamedLines lines = StreamedLines.of(stream.body());
    until(lines, ": connected");
    // The first heartbeat comes after 15 s of silence: past the 10 s request limit
    // (sun.net.httpserver.maxReqTime), which applies to reading requests, not to answers.
    until(lines, ": heartbeat");
    String workflow = json(post("/send", "msg=greet.world")).get("workflowId").asText();
    until(lines, "\"workflowId\":\"" + workflow + "\"");
    stream.body().close();
  }

  @Test
  void sendSaysHowManyTasksAMessageTriggersAndSuggestsTheNearestTrigger() throws Exception {
    HttpResponse<String> matched = post("/send", "msg=greet.world");
    assertThat(matched.statusCode()).isEqualTo(202);
    assertThat(json(matched).get("tasks").asInt()).isEqualTo(1);
    assertThat(json(matched).has("warning")).isFalse();

    HttpResponse<String> typo = post("/send", "msg=greet.wrold");
    assertThat(typo.statusCode()).isEqualTo(202);
    JsonNode body = json(typo);
    assertThat(body.get("tasks").asInt()).isZero();
    assertThat(body.get("warning").asText())
        .isEqualTo("no task has a trigger matching 'greet.wrold'; the nearest trigger is "
            + "'greet.world'");
    assertThat(body.get("nearestTrigger").asText()).isEqualTo("greet.world");
  }

  @Test
  void followingALogStreamsUntilTheRunEnds() throws Exception {
    Run run = angora.run("slow");
    HttpResponse<InputStream> followed = client.send(request("/api/runs/" + run.id()
        + "/log?follow=1").header("Accept", "application/x-ndjson").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(followed.statusCode()).isEqualTo(200);
    StreamedLines lines = StreamedLines.of(followed.body());
    // Live: the first line comes while the job still sleeps, standard error tagged as such.
    until(lines, "first");
    // Its start is reported 10 ms into the job (the start-report delay), so the first line can
    // be served a moment before the run reads RUNNING; it does while the job sleeps (5 s).
    await().atMost(Duration.ofSeconds(4)).until(() ->
        angora.runs().find(run.id()).orElseThrow().status() == RunStatus.RUNNING);
    assertThat(until(lines, "oops")).contains("{\"stream\":\"STDERR\",\"text\":\"oops\\n\"}");
    String read = until(lines, "\"end\":true");
    assertThat(read).contains("{\"stream\":\"STDOUT\",\"text\":\"second\\n\"}")
        .contains("\"status\":\"SUCCEEDED\"");
    // Followed live, so the recorded output is not written again at the end.
    assertThat(read).doesNotContain("first");
  }

  @Test
  void aCharacterCutBetweenTwoChunksIsFollowedWhole() throws Exception {
    Run run = angora.run("euro");
    HttpResponse<InputStream> followed = client.send(request("/api/runs/" + run.id()
        + "/log?follow=1").header("Accept", "application/x-ndjson").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    String read = until(StreamedLines.of(followed.body()), "\"end\":true");
    // the job wrote the euro sign's first two bytes, then after a pause the third
    assertThat(read).contains("\"text\":\"€ done\\n\"").doesNotContain("\uFFFD");
  }

  @Test
  void aRunningRunsLogAndPageShowTheOutputSoFar() throws Exception {
    Run run = angora.run("slow");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> client.send(
        request("/api/runs/" + run.id() + "/log").build(), HttpResponse.BodyHandlers.ofString())
        .body().contains("first"));
    JsonNode page = json(client.send(request("/api/runs/" + run.id()).build(),
        HttpResponse.BodyHandlers.ofString()));
    assertThat(page.get("status").asText()).isEqualTo("RUNNING");
    assertThat(page.get("output").asText()).contains("first").doesNotContain("second");
    assertThat(angora.awaitIdle(Duration.ofSeconds(15))).isTrue();
  }

  @Test
  void runsFilterByMessageAndTime() throws Exception {
    angora.send("greet.world");
    assertThat(angora.awaitIdle(Duration.ofSeconds(15))).isTrue();
    HttpResponse<String> byMessage = client.send(request("/api/runs?message=greet&limit=5")
        .build(), HttpResponse.BodyHandlers.ofString());
    JsonNode runs = json(byMessage).get("runs");
    assertThat(runs.size()).isPositive();
    runs.forEach(r -> assertThat(r.get("message").asText()).contains("greet"));

    HttpResponse<String> future = client.send(request("/api/runs?from=2999-01-01").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json(future).get("runs").size()).isZero();
    HttpResponse<String> past = client.send(request("/api/runs?to=2000-01-01").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json(past).get("runs").size()).isZero();
    HttpResponse<String> bad = client.send(request("/api/runs?from=yesterday").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("from must be an ISO-8601 time");
  }
}
