package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Message;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.cli.CliProcess.Result;
import io.angora.engine.Angora;
import io.angora.http.AngoraHttpServer;
import io.angora.http.HttpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code angora explain}, the packaged command line in its own JVM: over task files alone, and
 * against a running Angora through {@code --url} (a real socket, with a token).
 */
class ExplainCliIT {
  private static final String TASKS = """
      - name: exact
        triggers: [time.0105]
        command: "true"
        messages: [done.time]
        on_failure: [alert.time]
      - name: star
        triggers: ["time.*"]
        command: "true"
      - name: after
        triggers: [done.time]
        command: "true"
        messages: [done.after]
      - name: alert
        triggers: ["alert.#"]
        command: "true"
      """;

  @TempDir Path work;

  private Path tasks() throws Exception {
    Path dir = Files.createDirectories(work.resolve("tasks"));
    Files.writeString(dir.resolve("t.yml"), TASKS);
    return dir;
  }

  @Test
  void explainsExactAndPatternTriggersAndWhatTheySendFromTheTaskFilesAlone() throws Exception {
    Result result = CliProcess.run(work, Map.of(), "", "explain", "time.0105", "--tasks",
        tasks().toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("time.0105 (a new workflow) triggers 2 tasks:",
        "  exact  by trigger time.0105 (exact)",
        "  star  by trigger time.* (pattern)",
        "    on success sends done.time",
        "      after  by trigger done.time (exact)",
        "        on success sends done.after  (not followed: --depth)",
        "    on failure sends alert.time",
        "      alert  by trigger alert.# (pattern)");
    assertThat(work.resolve("angora.db")).doesNotExist();

    Result deeper = CliProcess.run(work, Map.of(), "", "explain", "time.0105", "--tasks",
        tasks().toString(), "--depth", "2");
    assertThat(deeper.out()).contains("on success sends done.after: triggers no task");
  }

  @Test
  void aMessageNothingMatchesExitsOneWithTheNearestTrigger() throws Exception {
    Result result = CliProcess.run(work, Map.of(), "", "explain", "tmie.0105", "--tasks",
        tasks().toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains("tmie.0105 (a new workflow) triggers no task; the nearest "
        + "trigger is 'time.0105'");
  }

  @Test
  void badInputIsAUsageError() throws Exception {
    Result result = CliProcess.run(work, Map.of(), "", "explain", "time.0105", "--depth", "0",
        "--tasks", tasks().toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--depth must be 1 to 20");
  }

  @Test
  void withTheStoreOfAStoppedInstallationAJoinIsHeldBackInItsWorkflow() throws Exception {
    Path dir = Files.createDirectories(work.resolve("join"));
    Files.writeString(dir.resolve("join.yml"), """
        - name: left
          triggers: [join.left]
          command: "true"
          messages: [join.left.done]
        - name: right
          triggers: [join.right]
          command: "false"
          replay: 0
          messages: [join.right.done]
        - name: join
          triggers: [join.left.done, join.right.done]
          command: "true"
          parent_success: true
        """);
    Path db = work.resolve("stopped.db");
    String workflow;
    try (Angora engine = Angora.builder().tasks(io.angora.engine.YamlTaskSource.directory(dir))
        .runStore(io.angora.jdbc.JdbcRunStore.sqlite(db)).build()) {
      engine.start();
      Message left = engine.send("join.left");
      workflow = left.workflowId();
      engine.send("join.right", null, workflow);
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runs()
          .latest("right", left.workflowId()).filter(r -> r.status() == RunStatus.FAILED)
          .isPresent());
      assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
    }

    Result result = CliProcess.run(work, Map.of(), "", "explain", "join.left.done", "--tasks",
        dir.toString(), "--store", db.toString(), "--workflow", workflow);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("HELD BACK (parent_success): parent task 'right' has not "
        + "succeeded in workflow " + workflow);
    Result missing = CliProcess.run(work, Map.of(), "", "explain", "join.left.done", "--tasks",
        dir.toString(), "--store", work.resolve("nope.db").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.db: no such file");
    assertThat(work.resolve("nope.db")).doesNotExist();
  }

  @Test
  void againstARunningAngoraAJoinIsHeldBackByItsFailedParentAndARunByTheGate() throws Exception {
    try (Angora engine = Angora.builder().task(
        TaskDefinition.builder("left").triggers("join.left").command("true")
            .messages("join.left.done").build(),
        TaskDefinition.builder("right").triggers("join.right").command("false").replay(0)
            .messages("join.right.done").build(),
        TaskDefinition.builder("join").triggers("join.left.done", "join.right.done")
            .command("true").parentSuccess(true).build(),
        TaskDefinition.builder("single").triggers("single.go").command("sleep 30")
            .concurrency(1).replay(0).build()).build()) {
      engine.start();
      Message left = engine.send("join.left");
      engine.send("join.right", null, left.workflowId());
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runs()
          .latest("right", left.workflowId()).filter(r -> r.status() == RunStatus.FAILED)
          .isPresent());
      assertThat(engine.awaitIdle(Duration.ofSeconds(30))).isTrue();
      int runs = engine.runs().workflow(left.workflowId()).size();
      try (AngoraHttpServer server = AngoraHttpServer.start(engine,
          HttpOptions.builder().port(0).token("cli-explain-token").build())) {
        Map<String, String> env = Map.of("ANGORA_URL", server.url(),
            "ANGORA_TOKEN", "cli-explain-token");

        Result result = CliProcess.run(work, env, "", "explain", "join.left.done",
            "--workflow", left.workflowId());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("join.left.done (in workflow " + left.workflowId()
            + ") triggers 1 task:", "  join  by trigger join.left.done (exact)",
            "HELD BACK (parent_success): parent task 'right' has not succeeded in workflow "
            + left.workflowId());
        assertThat(engine.runs().workflow(left.workflowId())).hasSize(runs);

        // The flow gate is the running coordinator's: a second run of a concurrency-1 task.
        io.angora.api.Run busy = engine.run("single");
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.runs().find(busy.id())
            .filter(r -> r.status() == RunStatus.RUNNING).isPresent());
        Result held = CliProcess.run(work, env, "", "explain", "single.go");
        engine.cancel(busy.id());
        assertThat(held.exit()).as(held.err()).isZero();
        assertThat(held.out()).contains("  single  by trigger single.go (exact)",
            "HELD BACK (flow): concurrency limit reached: 1 of 1 running",
            "- concurrency 1 (overflow: queue)");
      }
    }
  }

  /** The next 1 January, 01:05 UTC: when {@code cron "5 1 1 1 *"} fires next. */
  private static java.time.Instant nextNewYear() {
    java.time.Instant now = java.time.Instant.now();
    java.time.ZonedDateTime thisYear = now.atZone(java.time.ZoneOffset.UTC).withDayOfYear(1)
        .withHour(1).withMinute(5).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    return (thisYear.toInstant().isAfter(now) ? thisYear : thisYear.plusYears(1)).toInstant();
  }

  @Test
  void saysWhichSchedulesSendTheMessageAndWhichPausedOnesAloneReachItsTask() throws Exception {
    Path dir = Files.createDirectories(work.resolve("scheduled"));
    Files.writeString(dir.resolve("report.yml"), """
        - name: report
          triggers: [report.yearly]
          command: "true"
        """);
    Files.writeString(dir.resolve("schedules.yml"), """
        - name: yearly
          cron: "5 1 1 1 *"
          message: report.yearly
        """);
    Path db = work.resolve("paused.db");
    try (Angora engine = Angora.builder().tasks(io.angora.engine.YamlTaskSource.directory(dir))
        .runStore(io.angora.jdbc.JdbcRunStore.sqlite(db)).build()) {
      engine.start();
      engine.pauseSchedule("yearly");
    }

    Result paused = CliProcess.run(work, Map.of(), "", "explain", "report.yearly", "--tasks",
        dir.toString(), "--store", db.toString());

    assertThat(paused.exit()).as(paused.err()).isZero();
    assertThat(paused.out()).contains("  report  by trigger report.yearly (exact)",
        "    nothing holds it back",
        "    NOT SCHEDULED: only paused schedule yearly reaches it; none triggers it until "
            + "resumed",
        "sent by schedule yearly (cron \"5 1 1 1 *\" UTC, message report.yearly, ",
        "schedules.yml:1): PAUSED at run time (API or UI): sends nothing until resumed");

    // Without the store, the pause made at run time cannot be seen: said so.
    Result unseen = CliProcess.run(work, Map.of(), "", "explain", "report.yearly", "--tasks",
        dir.toString());
    assertThat(unseen.out()).contains("): active, sends it next at " + nextNewYear(),
        "note: no run store keeping schedule state: a schedule paused at run time")
        .doesNotContain("NOT SCHEDULED");

    // A running Angora's answer, the schedule resumed there, in a workflow it does not know.
    try (Angora engine = Angora.builder().tasks(io.angora.engine.YamlTaskSource.directory(dir))
        .runStore(io.angora.jdbc.JdbcRunStore.sqlite(db)).build()) {
      engine.start();
      engine.resumeSchedule("yearly");
      try (AngoraHttpServer server = AngoraHttpServer.start(engine,
          HttpOptions.builder().port(0).build())) {
        Result remote = CliProcess.run(work, Map.of("ANGORA_URL", server.url()), "", "explain",
            "report.yearly", "--workflow", "nosuch-workflow");

        assertThat(remote.exit()).as(remote.err()).isZero();
        assertThat(remote.out()).contains("report.yearly (in workflow nosuch-workflow, which the "
            + "run store does not know) triggers 1 task:",
            "schedules.yml:1): active, sends it next at " + nextNewYear(),
            "note: workflow nosuch-workflow is unknown to the run store")
            .doesNotContain("NOT SCHEDULED");
      }
    }
  }
}
