package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/explain} over a real socket, with a token: exact and pattern matches with
 * their success and failure messages, a join held back by a failed parent in a workflow, the
 * schedule sending a message paused and resumed through the API, a workflow the store does not
 * know, a message nothing matches, a manual run, bad input; and nothing is sent or recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainApiIT {
  private static final String TOKEN = "explain-token-1";

  private Angora angora;
  private AngoraHttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    angora = Angora.builder().task(
        TaskDefinition.builder("exact").triggers("time.0105").command("true")
            .messages("done.time").onFailure("alert.time").build(),
        TaskDefinition.builder("star").triggers("time.*").command("true").build(),
        TaskDefinition.builder("after").triggers("done.time").command("true").build(),
        TaskDefinition.builder("alert").triggers("alert.#").command("true").build(),
        TaskDefinition.builder("left").triggers("join.left").command("true")
            .messages("join.left.done").build(),
        TaskDefinition.builder("right").triggers("join.right").command("false").replay(0)
            .messages("join.right.done").build(),
        TaskDefinition.builder("join").triggers("join.left.done", "join.right.done")
            .command("true").parentSuccess(true).build(),
        TaskDefinition.builder("single").triggers("single.go").command("sleep 30")
            .concurrency(1).replay(0).build(),
        TaskDefinition.builder("report").triggers("report.yearly").command("true").build())
        .schedules(ScheduleSource.of(List.of(Schedule.builder("yearly").cron("5 1 1 1 *")
            .message("report.yearly").build())))
        .shutdownGrace(Duration.ofSeconds(1)).build();
    angora.start();
    server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0).token(TOKEN)
        .drain(Duration.ZERO).build());
  }

  @AfterAll
  void stop() {
    server.close();
    angora.close();
  }

  private HttpResponse<String> get(String query, boolean withToken) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url()
        + "api/explain" + query));
    if (withToken) {
      request.header("Authorization", "Bearer " + TOKEN);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode explain(String query) throws Exception {
    HttpResponse<String> response = get(query, true);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void exactAndPatternMatchesWithTheirSuccessAndFailureMessages() throws Exception {
    JsonNode body = explain("?msg=time.0105");

    assertThat(body.get("message").asText()).isEqualTo("time.0105");
    JsonNode tasks = body.get("root").get("tasks");
    assertThat(tasks).hasSize(2);
    assertThat(tasks.get(0).get("task").asText()).isEqualTo("exact");
    assertThat(tasks.get(0).get("match").asText()).isEqualTo("EXACT");
    assertThat(tasks.get(1).get("task").asText()).isEqualTo("star");
    assertThat(tasks.get(1).get("trigger").asText()).isEqualTo("time.*");
    assertThat(tasks.get(1).get("match").asText()).isEqualTo("PATTERN");
    JsonNode next = tasks.get(0).get("next");
    assertThat(next.get(0).get("message").asText()).isEqualTo("done.time");
    assertThat(next.get(0).get("via").asText()).isEqualTo("SUCCESS");
    assertThat(next.get(0).get("tasks").get(0).get("task").asText()).isEqualTo("after");
    assertThat(next.get(1).get("message").asText()).isEqualTo("alert.time");
    assertThat(next.get(1).get("via").asText()).isEqualTo("FAILURE");
    assertThat(next.get(1).get("tasks").get(0).get("trigger").asText()).isEqualTo("alert.#");
  }

  @Test
  void aJoinIsHeldBackByAParentThatFailedInTheWorkflow() throws Exception {
    Message left = angora.send("join.left");
    angora.send("join.right", null, left.workflowId());
    await().atMost(Duration.ofSeconds(30)).until(() -> angora.runs()
        .latest("right", left.workflowId()).filter(r -> r.status().isFinal()).isPresent());
    assertThat(angora.runs().latest("right", left.workflowId()).orElseThrow().status())
        .isEqualTo(RunStatus.FAILED);
    assertThat(angora.awaitIdle(Duration.ofSeconds(30))).isTrue();
    int runs = angora.runs().workflow(left.workflowId()).size();

    JsonNode join = explain("?msg=join.left.done&workflow=" + encode(left.workflowId()))
        .get("root").get("tasks").get(0);

    assertThat(join.get("task").asText()).isEqualTo("join");
    assertThat(join.get("holds")).hasSize(1);
    assertThat(join.get("holds").get(0).get("kind").asText()).isEqualTo("PARENT_SUCCESS");
    assertThat(join.get("holds").get(0).get("reason").asText()).contains("'right'")
        .contains("FAILED").contains(left.workflowId());
    assertThat(angora.runs().workflow(left.workflowId())).hasSize(runs);
  }

  @Test
  void aRunOverTheConcurrencyLimitIsHeldBackByTheGate() throws Exception {
    Run running = angora.run("single");
    await().atMost(Duration.ofSeconds(30)).until(() -> angora.runs().find(running.id())
        .filter(r -> r.status() == RunStatus.RUNNING).isPresent());
    try {
      JsonNode single = explain("?msg=single.go").get("root").get("tasks").get(0);

      assertThat(single.get("holds")).hasSize(1);
      assertThat(single.get("holds").get(0).get("kind").asText()).isEqualTo("FLOW");
      assertThat(single.get("holds").get(0).get("reason").asText())
          .contains("concurrency limit reached: 1 of 1 running");
    } finally {
      angora.cancel(running.id());
    }
  }

  @Test
  void theSchedulesSendingTheMessageAndATaskOnlyAPausedScheduleReaches() throws Exception {
    JsonNode active = explain("?msg=report.yearly");
    JsonNode yearly = active.get("schedules").get(0);
    assertThat(yearly.get("schedule").asText()).isEqualTo("yearly");
    assertThat(yearly.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(yearly.get("timing").asText()).isEqualTo("cron \"5 1 1 1 *\"");
    assertThat(yearly.get("nextSends").asText()).endsWith("-01-01T01:05:00Z")
        .isEqualTo(yearly.get("nextFire").asText());
    assertThat(active.get("root").get("tasks").get(0).get("pausedSchedules")).isEmpty();

    assertThat(post("api/schedules/yearly/pause").statusCode()).isEqualTo(200);
    try {
      JsonNode paused = explain("?msg=report.yearly");

      yearly = paused.get("schedules").get(0);
      assertThat(yearly.get("state").asText()).isEqualTo("PAUSED");
      assertThat(yearly.get("nextFire").isNull()).isTrue();
      assertThat(yearly.get("nextSends").isNull()).isTrue();
      JsonNode report = paused.get("root").get("tasks").get(0);
      assertThat(report.get("pausedSchedules")).extracting(JsonNode::asText)
          .containsExactly("yearly");
      assertThat(report.get("holds")).isEmpty();
    } finally {
      assertThat(post("api/schedules/yearly/resume").statusCode()).isEqualTo(200);
    }
    assertThat(explain("?msg=join.left").get("schedules")).isEmpty();
  }

  @Test
  void aWorkflowTheStoreDoesNotKnowIsSaidSoAndTheRestExplained() throws Exception {
    JsonNode body = explain("?msg=join.left.done&workflow=nosuch-workflow");

    assertThat(body.get("unknownWorkflow").asBoolean()).isTrue();
    assertThat(body.get("notes")).extracting(JsonNode::asText).anyMatch(n -> n.contains(
        "workflow nosuch-workflow is unknown to the run store"));
    JsonNode join = body.get("root").get("tasks").get(0);
    assertThat(join.get("holds").get(0).get("reason").asText()).contains("'left'")
        .contains("nosuch-workflow");
    assertThat(explain("?msg=join.left.done").get("unknownWorkflow").asBoolean()).isFalse();
  }

  @Test
  void aMessageNothingMatchesGetsTheNearestTrigger() throws Exception {
    JsonNode body = explain("?msg=" + encode("time.1050.x"));

    assertThat(body.get("root").get("tasks")).isEmpty();
    assertThat(body.get("root").get("nearestTrigger").asText()).isEqualTo("time.0105");
  }

  @Test
  void aManualRunAndADeeperCascade() throws Exception {
    JsonNode manual = explain("?task=exact&depth=2");
    assertThat(manual.get("root").get("via").asText()).isEqualTo("MANUAL");
    assertThat(manual.get("root").get("tasks").get(0).get("match").asText()).isEqualTo("MANUAL");
    assertThat(manual.get("depth").asInt()).isEqualTo(2);
  }

  @Test
  void explainingSendsRunsAndRecordsNothing() throws Exception {
    long messages = angora.recentMessages(1000).size();
    long runs = angora.runs().query(RunQuery.newest(1000)).runs().size();

    explain("?msg=time.0105&depth=5");

    assertThat(angora.recentMessages(1000)).hasSize((int) messages);
    assertThat(angora.runs().query(RunQuery.newest(1000)).runs()).hasSize((int) runs);
  }

  @Test
  void badInputIsRefusedWithTheReason() throws Exception {
    assertThat(get("?msg=time.0105", false).statusCode()).isEqualTo(401);
    HttpResponse<String> none = get("", true);
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("msg");
    assertThat(get("?msg=a&task=exact", true).statusCode()).isEqualTo(400);
    HttpResponse<String> control = get("?msg=" + encode("a\u0001b"), true);
    assertThat(control.statusCode()).isEqualTo(400);
    assertThat(get("?msg=a&depth=0", true).statusCode()).isEqualTo(400);
    assertThat(get("?msg=a&depth=99", true).body()).contains("depth");
    assertThat(get("?msg=a&workflow=" + encode("../etc"), true).statusCode()).isEqualTo(400);
    assertThat(get("?task=nosuchtask", true).statusCode()).isEqualTo(404);
  }
}
