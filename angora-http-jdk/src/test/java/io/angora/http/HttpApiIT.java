package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.angora.api.AngoraException;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.engine.Angora;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint and error of the API over a real socket. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiIT {
  private Path logs;

  private final RefusingTransport transport = new RefusingTransport();
  private SwitchableTaskSource source;
  private Angora angora;
  private AngoraHttpServer server;
  private Http http;

  @BeforeAll
  void start(@TempDir Path logDir) throws Exception {
    logs = logDir;
    source = new SwitchableTaskSource(tasks());
    angora = Angora.builder().tasks(source).transport(transport).concurrency(4)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    angora.start();
    server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0).maxBodyBytes(1024)
        .drain(Duration.ZERO).build());
    http = new Http(server.url());
    Files.writeString(logs.resolve("logged.log"), "line one\nline two\n");
  }

  private List<TaskDefinition> tasks() {
    return List.of(
        TaskDefinition.builder("hello").triggers("time.0105").command("echo hello")
            .messages("hello.done").replay(0).build(),
        TaskDefinition.builder("after").triggers("hello.done").command("echo after")
            .replay(0).build(),
        TaskDefinition.builder("fails").triggers("fail.now").command("false").replay(0).build(),
        TaskDefinition.builder("slow").triggers("slow.go").command("sleep 30").replay(0).build(),
        TaskDefinition.builder("logged").triggers("log.go").command("echo logged")
            .log(logs.toString()).messages("nobody.listens").replay(0).build());
  }

  @AfterAll
  void stop() {
    server.close();
    angora.close();
  }

  private String awaitStatus(String runId, String... statuses) {
    List<String> wanted = List.of(statuses);
    return await().atMost(Duration.ofSeconds(15)).until(
        () -> http.json(http.get("/api/runs/" + runId)).get("status").asText(), wanted::contains);
  }

  private JsonNode sendAndAwait(String msg, int runs) {
    HttpResponse<String> sent = http.postForm("/send", "msg=" + msg);
    assertThat(sent.statusCode()).isEqualTo(202);
    String workflow = http.json(sent).get("workflowId").asText();
    return await().atMost(Duration.ofSeconds(15)).until(
        () -> http.json(http.get("/api/runs?workflow=" + workflow)),
        page -> page.get("runs").size() == runs && allFinal(page.get("runs")));
  }

  private static boolean allFinal(JsonNode runs) {
    for (JsonNode run : runs) {
      if (List.of("QUEUED", "RUNNING").contains(run.get("status").asText())) {
        return false;
      }
    }
    return true;
  }

  // ---- /send

  @Test
  void sendAcceptsTheOriginalCurlForm() {
    // Exactly what `curl -d "msg=time.0105" http://host/send` sends.
    HttpResponse<String> response = http.postForm("/send", "msg=time.0105");
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = http.json(response);
    assertThat(body.get("messageId").asText()).isNotBlank();
    String workflow = body.get("workflowId").asText();
    JsonNode page = await().atMost(Duration.ofSeconds(15)).until(
        () -> http.json(http.get("/api/runs?workflow=" + workflow)),
        p -> p.get("runs").size() == 2 && allFinal(p.get("runs")));
    assertThat(page.get("runs").findValuesAsText("task")).containsExactly("after", "hello");
    assertThat(page.get("runs").findValuesAsText("status")).containsOnly("SUCCEEDED");
  }

  @Test
  void sendAcceptsJsonWithPayloadAndWorkflow() {
    HttpResponse<String> response = http.postJson("/send",
        "{\"msg\":\"time.0105\",\"payload\":\"p=1\",\"workflow\":\"wf-json-1\"}");
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(http.json(response).get("workflowId").asText()).isEqualTo("wf-json-1");
    JsonNode page = await().atMost(Duration.ofSeconds(15)).until(
        () -> http.json(http.get("/api/runs?workflow=wf-json-1&task=hello")),
        p -> p.get("runs").size() == 1);
    assertThat(page.get("runs").get(0).get("payload").asText()).isEqualTo("p=1");
  }

  @Test
  void sendRefusesBadInputWith400() {
    assertError(http.postForm("/send", "payload=x"), 400, "missing 'msg'");
    assertError(http.postJson("/send", "{\"payload\":\"x\"}"), 400, "missing 'msg'");
    assertError(http.postJson("/send", "{\"msg\":"), 400, "malformed JSON");
    assertError(http.postJson("/send", "[\"time.0105\"]"), 400, "JSON object");
    assertError(http.postJson("/send", "{\"msg\":{\"a\":1}}"), 400, "'msg'");
    assertError(http.postForm("/send", "msg="), 400, "empty");
    assertError(http.postForm("/send", "msg=" + "a".repeat(256)), 400, "longer than 255");
    assertError(http.postForm("/send", "msg=ok&workflow=a%2Fb"), 400, "workflow id");
    assertError(http.postForm("/send", "msg=ok&workflow=a..b"), 400, "'..'");
    assertError(http.postForm("/send", "msg=time%0A0105"), 400, "control character");
    assertError(http.postJson("/send", "{\"msg\":\"time\\u00010105\"}"), 400, "control character");
    assertError(http.postForm("/send", "msg=%ZZ"), 400, "percent-encoding");
    // The engine's own message rules: no empty word, no wildcard in a message.
    assertError(http.postForm("/send", "msg=a..b"), 400, "empty word");
    assertError(http.postForm("/send", "msg=a.%2A"), 400, "wildcard");
    assertError(http.postForm("/send", "msg=ok&workflow=a%0Db"), 400, "control character");
    assertError(http.post("/send", "text/plain", "time.0105"), 415, "content type");
  }

  @Test
  void sendAnswers503WhenTheTransportRefuses() {
    transport.refuse.set(true);
    try {
      assertError(http.postForm("/send", "msg=time.0105"), 503, "broker unreachable");
    } finally {
      transport.refuse.set(false);
    }
  }

  @Test
  void bodiesOverTheLimitGet413() {
    assertError(http.postForm("/send", "msg=a&payload=" + "x".repeat(2000)), 413, "1024 bytes");
    // Chunked: no Content-Length, so the server must count while reading.
    byte[] big = ("msg=a&payload=" + "x".repeat(3000)).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked = http.send(http.request("/send")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(big))).build());
    assertError(chunked, 413, "1024 bytes");
  }

  // ---- routing

  @Test
  void unknownRoutesGet404AndWrongMethods405WithAllow() {
    assertError(http.get("/nope"), 404, "no such endpoint");
    assertError(http.get("/api/runs/x/y/z"), 404, "no such endpoint");
    HttpResponse<String> wrong = http.get("/send");
    assertError(wrong, 405, "not allowed");
    assertThat(wrong.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> del = http.send(http.request("/api/tasks").DELETE().build());
    assertError(del, 405, "not allowed");
    assertThat(del.headers().firstValue("Allow")).hasValue("GET");
    assertThat(http.postEmpty("/api/runs").statusCode()).isEqualTo(405);
    HttpResponse<String> head = http.send(http.request("/api/tasks")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  // ---- tasks

  @Test
  void tasksListWithLastStatusAndNoScheduleWithoutSchedules() {
    sendAndAwait("fail.now", 1);
    JsonNode tasks = http.json(http.get("/api/tasks"));
    assertThat(tasks.findValuesAsText("name")).contains("hello", "after", "fails", "slow");
    JsonNode fails = find(tasks, "name", "fails");
    assertThat(fails.get("lastStatus").asText()).isEqualTo("FAILED");
    assertThat(fails.get("lastRun").get("id").asText()).isNotBlank();
    assertThat(fails.get("nextSchedule").isNull()).isTrue();
    assertThat(fails.get("triggers").get(0).asText()).isEqualTo("fail.now");
  }

  @Test
  void oneTaskAnd404ForAnUnknownOne() {
    JsonNode hello = http.json(http.get("/api/tasks/hello"));
    assertThat(hello.get("name").asText()).isEqualTo("hello");
    assertThat(hello.get("messages").get(0).asText()).isEqualTo("hello.done");
    assertError(http.get("/api/tasks/nope"), 404, "unknown task 'nope'");
  }

  @Test
  void manualRunAnswers202WithTheRun() {
    HttpResponse<String> response = http.postJson("/api/tasks/after/run", "{\"payload\":\"m\"}");
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode run = http.json(response);
    assertThat(run.get("task").asText()).isEqualTo("after");
    assertThat(run.get("payload").asText()).isEqualTo("m");
    assertThat(awaitStatus(run.get("id").asText(), "SUCCEEDED")).isEqualTo("SUCCEEDED");
    assertThat(http.postEmpty("/api/tasks/after/run").statusCode()).isEqualTo(202);
    assertError(http.postEmpty("/api/tasks/nope/run"), 404, "unknown task");
  }

  @Test
  void reloadReportsAllErrorsAndKeepsTheOldTasks() {
    source.failWith(new TaskError("tasks/a.yml", 3, "command", "missing"),
        new TaskError("tasks/b.yml", 7, "triggers[1]", "not a string"));
    try {
      HttpResponse<String> failed = http.postEmpty("/api/tasks/reload");
      assertThat(failed.statusCode()).isEqualTo(422);
      JsonNode errors = http.json(failed).get("errors");
      assertThat(errors).hasSize(2);
      assertThat(errors.get(0).get("file").asText()).isEqualTo("tasks/a.yml");
      assertThat(errors.get(0).get("line").asInt()).isEqualTo(3);
      assertThat(errors.get(1).get("field").asText()).isEqualTo("triggers[1]");
      assertThat(errors.get(1).get("message").asText()).isEqualTo("not a string");
      assertThat(http.json(http.get("/api/tasks")).findValuesAsText("name")).contains("hello");
    } finally {
      source.succeedWith(tasks());
    }
    HttpResponse<String> ok = http.postEmpty("/api/tasks/reload");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(http.json(ok).get("tasks").asInt()).isEqualTo(5);
  }

  // ---- runs

  @Test
  void runsPageNewestFirstWithAKeysetCursor() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(http.json(http.postEmpty("/api/tasks/fails/run")).get("id").asText());
    }
    JsonNode first = http.json(http.get("/api/runs?task=fails&limit=2"));
    assertThat(first.get("runs").findValuesAsText("id")).containsExactly(ids.get(4), ids.get(3));
    String next = first.get("next").asText();
    JsonNode second = http.json(http.get("/api/runs?task=fails&limit=2&before=" + next));
    assertThat(second.get("runs").findValuesAsText("id")).containsExactly(ids.get(2), ids.get(1));
    ids.forEach(id -> awaitStatus(id, "FAILED"));
    JsonNode failed = http.json(http.get("/api/runs?status=failed&task=fails&limit=1000"));
    assertThat(failed.get("runs").findValuesAsText("id")).containsAll(ids);
    assertThat(failed.get("runs").findValuesAsText("status")).containsOnly("FAILED");
  }

  @Test
  void runsRefuseBadFiltersWith400() {
    assertError(http.get("/api/runs?status=BOGUS"), 400, "unknown status");
    assertError(http.get("/api/runs?limit=0"), 400, "limit");
    assertError(http.get("/api/runs?limit=1001"), 400, "limit");
    assertError(http.get("/api/runs?limit=ten"), 400, "limit");
    assertError(http.get("/api/runs?before=..%2Fx"), 400, "malformed before");
  }

  @Test
  void oneRunItsLogAnd404s() {
    JsonNode page = sendAndAwait("time.0105", 2);
    String id = find(page.get("runs"), "task", "hello").get("id").asText();
    JsonNode run = http.json(http.get("/api/runs/" + id));
    assertThat(run.get("output").asText()).contains("hello");
    assertThat(run.get("exitCode").asInt()).isZero();
    HttpResponse<String> log = http.get("/api/runs/" + id + "/log");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain"));
    assertThat(log.body()).contains("hello");
    assertError(http.get("/api/runs/0000000000-nope"), 404, "unknown run");
    assertError(http.get("/api/runs/0000000000-nope/log"), 404, "unknown run");
    assertError(http.get("/api/runs/" + id + "/log?source=file"), 404, "has no log file");
  }

  @Test
  void aTaskLogFileTailIsServedFromItsOwnDirectoryOnly() {
    JsonNode page = sendAndAwait("log.go", 1);
    String id = page.get("runs").get(0).get("id").asText();
    HttpResponse<String> file = http.get("/api/runs/" + id + "/log?source=file");
    assertThat(file.statusCode()).isEqualTo(200);
    // What was there before, then the run's own stdout appended by the executor.
    assertThat(file.body()).startsWith("line one\nline two\n");
    assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain"));
  }

  @Test
  void pathTraversalNeverReachesAFile() {
    for (String path : List.of("/api/runs/..%2F..%2Fetc%2Fpasswd/log",
        "/api/runs/..%2F..%2Fetc%2Fpasswd/log?source=file", "/api/runs/%2Fetc%2Fpasswd",
        "/api/runs/..%252F..%252Fetc%252Fpasswd/log", "/api/runs/../../etc/passwd/log",
        "/api/workflows/..%2F..%2Fetc%2Fpasswd", "/api/tasks/..%2F..%2Fetc%2Fpasswd",
        "/..%2F..%2Fetc%2Fpasswd", "/app.js%2F..%2F..%2Fetc%2Fpasswd")) {
      HttpResponse<String> response = http.get(path);
      assertThat(response.statusCode()).as(path).isIn(400, 404);
      assertThat(response.body()).as(path).doesNotContain("root:");
    }
  }

  @Test
  void replayQueuesANewAttempt() {
    JsonNode page = sendAndAwait("fail.now", 1);
    String id = page.get("runs").get(0).get("id").asText();
    HttpResponse<String> replay = http.postEmpty("/api/runs/" + id + "/replay");
    assertThat(replay.statusCode()).isEqualTo(202);
    JsonNode again = http.json(replay);
    assertThat(again.get("attempt").asInt()).isEqualTo(2);
    assertThat(again.get("id").asText()).isNotEqualTo(id);
    assertError(http.postEmpty("/api/runs/0000000000-nope/replay"), 404, "unknown run");
  }

  @Test
  void cancelStopsARunningRunAndReplayOfItIsAConflict() {
    String id = http.json(http.postEmpty("/api/tasks/slow/run")).get("id").asText();
    awaitStatus(id, "RUNNING");
    assertError(http.postEmpty("/api/runs/" + id + "/replay"), 409, "only a finished run");
    HttpResponse<String> cancel = http.postEmpty("/api/runs/" + id + "/cancel");
    assertThat(cancel.statusCode()).isEqualTo(200);
    assertThat(http.json(cancel).get("cancelled").asBoolean()).isTrue();
    assertThat(awaitStatus(id, "CANCELLED", "FAILED")).isEqualTo("CANCELLED");
    assertThat(http.json(http.postEmpty("/api/runs/" + id + "/cancel")).get("cancelled")
        .asBoolean()).isFalse();
    assertError(http.postEmpty("/api/runs/0000000000-nope/cancel"), 404, "unknown run");
  }

  // ---- workflows, messages, workers, schedules

  @Test
  void workflowGraphWithWarnings() {
    JsonNode graph = http.json(http.get("/api/workflows"));
    assertThat(graph.get("nodes").findValuesAsText("task"))
        .containsExactlyInAnyOrder("hello", "after", "fails", "slow", "logged");
    JsonNode edge = graph.get("edges").get(0);
    assertThat(edge.get("from").asText()).isEqualTo("hello");
    assertThat(edge.get("to").asText()).isEqualTo("after");
    assertThat(edge.get("message").asText()).isEqualTo("hello.done");
    assertThat(graph.get("unmatchedMessages").findValuesAsText("message"))
        .containsExactly("nobody.listens");
    assertThat(graph.get("warnings")).hasSize(1);
    assertThat(graph.get("warnings").get(0).asText())
        .isEqualTo("task 'logged' sends 'nobody.listens', which no trigger matches");
    assertThat(graph.get("entryPoints").findValuesAsText("trigger")).contains("time.0105")
        .doesNotContain("hello.done");
  }

  @Test
  void workflowInstanceIsATreeOfRuns() {
    JsonNode page = sendAndAwait("time.0105", 2);
    String workflow = page.get("runs").get(0).get("workflowId").asText();
    JsonNode instance = http.json(http.get("/api/workflows/" + workflow));
    assertThat(instance.get("runCount").asInt()).isEqualTo(2);
    JsonNode root = instance.get("runs").get(0);
    assertThat(instance.get("runs")).hasSize(1);
    assertThat(root.get("task").asText()).isEqualTo("hello");
    assertThat(root.get("children").get(0).get("task").asText()).isEqualTo("after");
    assertThat(root.get("children").get(0).get("parentRunId").asText())
        .isEqualTo(root.get("id").asText());
    assertError(http.get("/api/workflows/0000000000-nope"), 404, "unknown workflow");
  }

  @Test
  void recentMessagesWorkersAndDefaultSchedules() {
    http.postForm("/send", "msg=fail.now");
    JsonNode messages = await().atMost(Duration.ofSeconds(10)).until(
        () -> http.json(http.get("/api/messages?limit=5")),
        m -> m.findValuesAsText("text").contains("fail.now"));
    assertThat(messages.size()).isLessThanOrEqualTo(5);
    assertError(http.get("/api/messages?limit=-1"), 400, "limit");
    JsonNode workers = await().atMost(Duration.ofSeconds(10)).until(
        () -> http.json(http.get("/api/workers")), w -> w.size() > 0);
    assertThat(workers.get(0).get("alive").asBoolean()).isTrue();
    JsonNode schedules = http.json(http.get("/api/schedules"));
    assertThat(schedules.isArray()).isTrue();
    assertThat(schedules).isEmpty();
  }

  @Test
  void anExtraRouteReplacesTheDefaultSchedules() {
    HttpRoute schedules = HttpRoute.get("/api/schedules", call -> HttpReply.ok(List.of(
        Map.of("name", "nightly", "cron", "5 1 * * *", "message", "time.0105"))));
    try (AngoraHttpServer other = AngoraHttpServer.start(angora, HttpOptions.builder().port(0)
        .drain(Duration.ZERO).build(), List.of(schedules))) {
      JsonNode body = new Http(other.url()).json(new Http(other.url()).get("/api/schedules"));
      assertThat(body.get(0).get("name").asText()).isEqualTo("nightly");
    }
  }

  // ---- health, metrics, UI

  @Test
  void healthIsUpWithQueueDepths() {
    HttpResponse<String> health = http.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = http.json(health);
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.get("queues").has("initialize")).isTrue();
  }

  @Test
  void metricsInPrometheusTextFormat() {
    sendAndAwait("time.0105", 2);
    HttpResponse<String> metrics = http.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body())
        .contains("# TYPE angora_runs_total counter")
        .containsPattern("angora_runs_total\\{task=\"hello\",status=\"SUCCEEDED\"} [1-9]")
        .containsPattern("angora_run_duration_seconds_count\\{task=\"hello\"} [1-9]")
        .contains("angora_run_duration_seconds_bucket{task=\"hello\",le=\"+Inf\"}")
        .contains("angora_queue_depth{queue=\"initialize\"}")
        .contains("angora_tasks 5")
        .contains("angora_up 1");
  }

  @Test
  void uiIsServedWithSecurityHeadersAndNoCors() {
    HttpResponse<String> index = http.send(http.request("/")
        .header("Origin", "https://evil.example").GET().build());
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<script src=\"app.js\"");
    assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
    assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(index.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(http.get("/app.js").statusCode()).isEqualTo(200);
    assertThat(http.get("/app.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    HttpResponse<String> api = http.send(http.request("/api/tasks")
        .header("Origin", "https://evil.example").GET().build());
    assertThat(api.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void corsOnlyForTheConfiguredOrigin() {
    try (AngoraHttpServer other = AngoraHttpServer.start(angora, HttpOptions.builder().port(0)
        .allowOrigin("https://ops.example").drain(Duration.ZERO).build())) {
      Http client = new Http(other.url());
      HttpResponse<String> allowed = client.send(client.request("/api/tasks")
          .header("Origin", "https://ops.example").GET().build());
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://ops.example");
      HttpResponse<String> other2 = client.send(client.request("/api/tasks")
          .header("Origin", "https://evil.example").GET().build());
      assertThat(other2.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  // ---- token

  @Test
  void aNonLoopbackBindWithoutATokenIsRefused() {
    assertThatThrownBy(() -> AngoraHttpServer.start(angora,
        HttpOptions.builder().bindAddress("0.0.0.0").port(0).build()))
        .isInstanceOf(AngoraException.class)
        .hasMessageContaining("0.0.0.0").hasMessageContaining("token");
  }

  @Test
  void aNonLoopbackBindNeedsTheTokenOnEveryApiRequest() {
    try (AngoraHttpServer open = AngoraHttpServer.start(angora, HttpOptions.builder()
        .bindAddress("0.0.0.0").port(0).token("s3cret-token").drain(Duration.ZERO).build())) {
      Http client = new Http("http://127.0.0.1:" + open.port());
      HttpResponse<String> none = client.get("/api/tasks");
      assertError(none, 401, "token");
      assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
      assertError(client.send(client.request("/api/tasks")
          .header("Authorization", "Bearer wrong").GET().build()), 401, "token");
      assertError(client.send(client.request("/api/tasks")
          .header("Authorization", "Bearer s3cret-token-and-more").GET().build()), 401, "token");
      assertError(client.postForm("/send", "msg=time.0105"), 401, "token");
      assertError(client.get("/metrics"), 401, "token");
      HttpResponse<String> ok = client.send(client.request("/api/tasks")
          .header("Authorization", "Bearer s3cret-token").GET().build());
      assertThat(ok.statusCode()).isEqualTo(200);
      HttpResponse<String> sent = client.send(client.request("/send")
          .header("Authorization", "Bearer s3cret-token")
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("msg=time.0105")).build());
      assertThat(sent.statusCode()).isEqualTo(202);
      // The UI's files and the health probe hold no data and stay open.
      assertThat(client.get("/").statusCode()).isEqualTo(200);
      assertThat(client.get("/health").statusCode()).isEqualTo(200);
    }
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.get(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no element with " + field + "=" + value + " in " + array);
  }

  private void assertError(HttpResponse<String> response, int status, String text) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    JsonNode body = http.json(response);
    assertThat(body.get("error").asText()).contains(text);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
