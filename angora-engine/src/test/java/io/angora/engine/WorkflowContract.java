package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.api.Transport;
import io.angora.engine.explain.Explainer;
import io.angora.engine.explain.Explanation;
import io.angora.engine.explain.Explanation.HoldKind;
import io.angora.engine.explain.Explanation.Match;
import io.angora.engine.explain.Explanation.Repeat;
import io.angora.engine.explain.Explanation.ScheduleState;
import io.angora.engine.explain.Explanation.ScheduleStep;
import io.angora.engine.explain.Explanation.Step;
import io.angora.engine.explain.Explanation.TaskStep;
import io.angora.engine.explain.Explanation.Via;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow semantics every transport must give the engine: chains, fan-out, joins with
 * {@code parent_success}, replays, manual runs, cancellation, flow control (concurrency, groups,
 * overflow, rate, priority, across a coordinator restart) and {@code on_failure}. Real processes
 * run the commands.
 * Extended once per transport.
 */
public abstract class WorkflowContract {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<Angora> started = new ArrayList<>();
  /** Every run change the engines' listeners heard, in the order heard. */
  private final java.util.Queue<Run> heard = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Called after a run change is added to {@link #heard}; a test may slow listeners down. */
  private volatile io.angora.api.RunListener alsoHeard = run -> { };

  /** A fresh transport, isolated from other tests. */
  protected abstract Transport newTransport();

  /** Adjusts the engine for a transport, e.g. extra workers; default: nothing. */
  protected AngoraBuilder configure(AngoraBuilder builder) {
    return builder;
  }

  /**
   * A transport on the same queues as the last {@link #newTransport()}, for a coordinator
   * started again; default: a new one (in memory, nothing outlives the process anyway).
   */
  protected Transport reopenTransport() {
    return newTransport();
  }

  protected Angora start(TaskDefinition... tasks) {
    return start(newTransport(), new InMemoryRunStore(), tasks);
  }

  /** Starts an engine on a given transport and store (one that outlives it, for restarts). */
  protected Angora start(Transport transport, RunStore store, TaskDefinition... tasks) {
    return start(transport, store, List.of(), tasks);
  }

  /** Starts an engine that fires schedules too. */
  protected Angora start(List<Schedule> schedules, TaskDefinition... tasks) {
    return start(newTransport(), new InMemoryRunStore(), schedules, tasks);
  }

  private Angora start(Transport transport, RunStore store, List<Schedule> schedules,
      TaskDefinition... tasks) {
    Angora angora = configure(Angora.builder()
        .transport(transport)
        .runStore(store)
        .task(tasks)
        .schedules(ScheduleSource.of(schedules))
        .listener(run -> {
          heard.add(run);
          alsoHeard.onRun(run);
        })
        .concurrency(4)
        .replayBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .shutdownGrace(Duration.ofSeconds(5)))
        .build();
    started.add(angora);
    angora.start();
    return angora;
  }

  @AfterEach
  void closeEngines() {
    started.forEach(Angora::close);
  }

  protected static TaskDefinition.Builder task(String name, String trigger, String command) {
    return TaskDefinition.builder(name).triggers(trigger).command(command);
  }

  protected static List<Run> runsOf(Angora angora, String task) {
    List<Run> runs = new ArrayList<>(angora.runs().query(RunQuery.newest(1000).withTask(task)).runs());
    java.util.Collections.reverse(runs);
    return runs;
  }

  protected static List<Run> awaitFinished(Angora angora, String task, int count) {
    await().atMost(WAIT).until(() -> runsOf(angora, task).stream()
        .filter(r -> r.status().isFinal()).count() >= count);
    return runsOf(angora, task);
  }

  @Test
  void listenersHearEveryRunQueuedBeforeItsJobCanStart() throws InterruptedException {
    Angora angora = start(task("first", "pair.go", "true").replay(0).build(),
        task("second", "pair.go", "true").replay(0).build());
    java.util.concurrent.CountDownLatch secondEnded = new java.util.concurrent.CountDownLatch(1);
    alsoHeard = run -> {
      if (run.task().equals("second") && run.status().isFinal()) {
        secondEnded.countDown();
      }
      if (run.task().equals("first") && run.status() == RunStatus.QUEUED) {
        // Held here, a listener hearing of the first run would let the second run's job start
        // and end first if the runs were announced only after their jobs were handed over.
        try {
          secondEnded.await(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };

    angora.send("pair.go");

    awaitFinished(angora, "second", 1);
    awaitFinished(angora, "first", 1);
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    java.util.Map<String, List<RunStatus>> byRun = new java.util.LinkedHashMap<>();
    for (Run run : heard) {
      byRun.computeIfAbsent(run.task(), id -> new ArrayList<>()).add(run.status());
    }
    assertThat(byRun).containsOnlyKeys("first", "second");
    byRun.forEach((task, statuses) -> {
      assertThat(statuses.get(0)).as("first status heard of %s in %s", task, statuses)
          .isEqualTo(RunStatus.QUEUED);
      assertThat(statuses.get(statuses.size() - 1)).as("last status heard of %s in %s", task,
          statuses).isEqualTo(RunStatus.SUCCEEDED);
    });
  }

  @Test
  void chainOfTheOriginalReadme() throws InterruptedException {
    Angora angora = start(
        task("step_1", "example.step.1", "echo \"HELLO\"").messages("example.step.2").build(),
        task("step_2", "example.step.2", "echo \"WORLD\"").build());

    Message sent = angora.send("example.step.1");

    Run second = awaitFinished(angora, "step_2", 1).get(0);
    Run first = runsOf(angora, "step_1").get(0);
    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(first.output()).contains("HELLO");
    assertThat(first.workflowId()).isEqualTo(sent.workflowId());
    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(second.output()).contains("WORLD");
    assertThat(second.workflowId()).isEqualTo(sent.workflowId());
    assertThat(second.parentRunId()).isEqualTo(first.id());
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(angora.runs().workflow(sent.workflowId())).hasSize(2);
  }

  @Test
  void oneTaskFansOutToThree() throws InterruptedException {
    Angora angora = start(
        task("step_1", "example.step.1", "echo \"HELLO WORLD\"")
            .messages("example.step.2", "example.step.3", "example.step.4").build(),
        task("step_2", "example.step.2", "true").build(),
        task("step_3", "example.step.3", "true").build(),
        task("step_4", "example.step.4", "true").build());

    Message sent = angora.send("example.step.1");

    assertThat(angora.awaitIdle(WAIT)).isTrue();
    List<Run> runs = angora.runs().workflow(sent.workflowId());
    assertThat(runs).extracting(Run::task)
        .containsExactlyInAnyOrder("step_1", "step_2", "step_3", "step_4");
    assertThat(runs).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
    String parent = runsOf(angora, "step_1").get(0).id();
    assertThat(runs).filteredOn(r -> !r.task().equals("step_1"))
        .allMatch(r -> parent.equals(r.parentRunId()));
  }

  @Test
  void sharedTriggerRunsEveryMatchingTaskIncludingPatterns() throws InterruptedException {
    Angora angora = start(
        task("exact", "time.0105", "true").build(),
        task("star", "time.*", "true").build(),
        task("hash", "#", "true").build(),
        task("other", "time.0106", "true").build());

    angora.send("time.0105");

    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(runsOf(angora, "exact")).hasSize(1);
    assertThat(runsOf(angora, "star")).hasSize(1);
    assertThat(runsOf(angora, "hash")).hasSize(1);
    assertThat(runsOf(angora, "other")).isEmpty();
  }

  @Test
  void joinWithParentSuccessWaitsForEveryParentOfTheWorkflow() throws InterruptedException {
    Angora angora = startJoin("echo joined");

    Message first = angora.send("join.left");
    Run held = awaitFinished(angora, "join", 1).get(0);
    assertThat(held.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(held.reason()).contains("'right'").contains(first.workflowId());
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(runsOf(angora, "join")).hasSize(1); // a held-back join is not replayed

    angora.send("join.right", null, first.workflowId());
    List<Run> joins = awaitFinished(angora, "join", 2);
    assertThat(joins.get(1).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(joins.get(1).output()).contains("joined");
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(runsOf(angora, "join")).hasSize(2);
  }

  @Test
  void parentInAnotherWorkflowDoesNotCount() throws InterruptedException {
    Angora angora = startJoin("true");

    angora.send("join.right");
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    angora.send("join.left");
    assertThat(angora.awaitIdle(WAIT)).isTrue();

    assertThat(runsOf(angora, "join")).hasSize(2)
        .allMatch(r -> r.status() == RunStatus.SKIPPED && r.reason().contains("has not run"));
  }

  @Test
  void explainNamesExactAndPatternTriggersAndTheMessagesSentOnSuccessAndFailure() {
    Angora angora = start(
        task("exact", "time.0105", "true").messages("done.time").onFailure("alert.time.0105")
            .build(),
        task("star", "time.*", "true").build(),
        task("after", "done.time", "true").messages("done.after").build(),
        task("alert", "alert.#", "true").build());

    Explanation explained = angora.explain("time.0105", null, 1);

    assertThat(explained.root().tasks()).extracting(TaskStep::task, TaskStep::trigger,
        TaskStep::match).containsExactly(tuple("exact", "time.0105", Match.EXACT),
        tuple("star", "time.*", Match.PATTERN));
    assertThat(explained.root().tasks()).allMatch(t -> t.holds().isEmpty());
    TaskStep exact = explained.root().tasks().get(0);
    assertThat(exact.next()).extracting(Step::message, Step::via).containsExactly(
        tuple("done.time", Via.SUCCESS), tuple("alert.time.0105", Via.FAILURE));
    assertThat(exact.next().get(0).tasks()).extracting(TaskStep::task).containsExactly("after");
    assertThat(exact.next().get(1).tasks()).extracting(TaskStep::task, TaskStep::match)
        .containsExactly(tuple("alert", Match.PATTERN));
    // One level down by default: what "after" sends is named, not followed.
    Step afterSends = exact.next().get(0).tasks().get(0).next().get(0);
    assertThat(afterSends.message()).isEqualTo("done.after");
    assertThat(afterSends.followed()).isFalse();
    // Nothing was sent, run or recorded.
    assertThat(angora.recentMessages(10)).isEmpty();
    assertThat(angora.runs().query(RunQuery.newest(10)).runs()).isEmpty();
  }

  @Test
  void explainHoldsBackAJoinWhoseParentFailedInTheWorkflow() throws InterruptedException {
    Angora angora = start(
        task("left", "join.left", "true").messages("join.left.done").build(),
        task("right", "join.right", "false").replay(0).messages("join.right.done").build(),
        TaskDefinition.builder("join").triggers("join.left.done", "join.right.done")
            .command("true").parentSuccess(true).build());
    Message first = angora.send("join.left");
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    angora.send("join.right", null, first.workflowId());
    Run failed = awaitFinished(angora, "right", 1).get(0);
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    int runsBefore = angora.runs().workflow(first.workflowId()).size();

    Explanation explained = angora.explain("join.left.done", first.workflowId(), 1);

    TaskStep join = explained.root().tasks().get(0);
    assertThat(join.task()).isEqualTo("join");
    assertThat(join.holds()).singleElement().satisfies(hold -> {
      assertThat(hold.kind()).isEqualTo(HoldKind.PARENT_SUCCESS);
      assertThat(hold.reason()).contains("'right'").contains(first.workflowId())
          .contains(failed.id()).contains("FAILED");
    });
    assertThat(join.conditions()).anyMatch(c -> c.contains("parent_success")
        && c.contains("left, right"));
    // Without a workflow the message starts a new one, where no parent has run.
    assertThat(angora.explain("join.left.done", null, 1).root().tasks().get(0).holds())
        .singleElement().satisfies(hold -> assertThat(hold.reason()).contains("'left'")
            .contains("has not run").contains("new workflow"));
    assertThat(angora.runs().workflow(first.workflowId())).hasSize(runsBefore);
  }

  @Test
  void explainHoldsBackARunOverItsConcurrencyLimit() {
    Angora angora = start(task("single", "single.go", "sleep 30").concurrency(1).replay(0)
        .build());
    assertThat(angora.explain("single.go", null, 1).root().tasks().get(0).holds()).isEmpty();
    angora.send("single.go");
    Run running = await().atMost(WAIT).until(() -> runsOf(angora, "single").stream()
        .filter(r -> r.status() == RunStatus.RUNNING).findFirst(), java.util.Optional::isPresent)
        .orElseThrow();

    TaskStep single = angora.explain("single.go", null, 1).root().tasks().get(0);

    assertThat(single.holds()).singleElement().satisfies(hold -> {
      assertThat(hold.kind()).isEqualTo(HoldKind.FLOW);
      assertThat(hold.reason()).contains("concurrency limit reached: 1 of 1 running");
    });
    assertThat(single.conditions()).contains("concurrency 1 (overflow: queue)");
    assertThat(runsOf(angora, "single")).hasSize(1);
    angora.cancel(running.id());
  }

  @Test
  void explainSaysWhenNothingMatchesAndSuggestsTheNearestTrigger() {
    Angora angora = start(task("exact", "time.0105", "true").build(),
        task("other", "report.daily", "true").build());

    Explanation explained = angora.explain("time.0150", null, 1);

    assertThat(explained.triggersNothing()).isTrue();
    assertThat(explained.root().nearestTrigger()).isEqualTo("time.0105");
    assertThat(angora.recentMessages(10)).isEmpty();
  }

  @Test
  void explainFollowsTheWholeCascadeToItsDepthAndShowsACycleOnce() {
    Angora angora = start(
        task("a", "loop.a", "true").messages("loop.b").build(),
        task("b", "loop.b", "true").messages("loop.c").onFailure("loop.a").build(),
        task("c", "loop.c", "true").build());

    Explanation explained = angora.explain("loop.a", null, Explainer.MAX_DEPTH);

    TaskStep b = explained.root().tasks().get(0).next().get(0).tasks().get(0);
    assertThat(b.task()).isEqualTo("b");
    assertThat(b.next()).extracting(Step::message).containsExactly("loop.c", "loop.a");
    assertThat(b.next().get(1).tasks()).singleElement().satisfies(again -> {
      assertThat(again.task()).isEqualTo("a");
      assertThat(again.repeat()).isEqualTo(Repeat.CYCLE);
      assertThat(again.next()).isEmpty();
    });
  }

  @Test
  void explainNamesTheSchedulesSendingTheMessageAndTheTasksOnlyPausedSchedulesReach() {
    Angora angora = start(List.of(
            Schedule.builder("yearly").cron("5 1 1 1 *").message("report.{yyyy}").build(),
            Schedule.builder("held").cron("5 1 1 1 *").message("report.{yyyy}").paused(true)
                .origin("schedules.yml:4").build()),
        task("report", "report.*", "true").messages("done.report").build(),
        task("after", "done.report", "true").build());
    Instant now = angora.clock().instant();
    java.time.ZonedDateTime thisYear = now.atZone(java.time.ZoneOffset.UTC).withDayOfYear(1)
        .withHour(1).withMinute(5).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    Instant fire = (thisYear.toInstant().isAfter(now) ? thisYear : thisYear.plusYears(1))
        .toInstant();
    String message = "report." + fire.atZone(java.time.ZoneOffset.UTC).getYear();

    Explanation active = angora.explain(message, null, 1);

    assertThat(active.schedules()).extracting(ScheduleStep::schedule, ScheduleStep::state,
        ScheduleStep::nextFire, ScheduleStep::nextSends, ScheduleStep::template).containsExactly(
        tuple("yearly", ScheduleState.ACTIVE, fire, fire, "report.{yyyy}"),
        tuple("held", ScheduleState.PAUSED_IN_FILE, null, null, "report.{yyyy}"));
    assertThat(active.schedules().get(1).origin()).isEqualTo("schedules.yml:4");
    TaskStep report = active.root().tasks().get(0);
    assertThat(report.pausedSchedules()).as("yearly is active").isEmpty();
    assertThat(angora.explain("report.1999", null, 1).schedules())
        .as("not among the next fire times").isEmpty();

    angora.pauseSchedule("yearly");
    Explanation paused = angora.explain(message, null, 1);

    assertThat(paused.schedules()).extracting(ScheduleStep::schedule, ScheduleStep::state,
        ScheduleStep::nextFire).containsExactly(tuple("yearly", ScheduleState.PAUSED, null),
        tuple("held", ScheduleState.PAUSED_IN_FILE, null));
    report = paused.root().tasks().get(0);
    assertThat(report.pausedSchedules()).containsExactly("yearly", "held");
    assertThat(report.holds()).as("sent by hand, the message still runs it").isEmpty();
    assertThat(report.next().get(0).tasks().get(0).pausedSchedules())
        .as("after is reached through report").isEmpty();

    angora.resumeSchedule("yearly");
    assertThat(angora.explain(message, null, 1).root().tasks().get(0).pausedSchedules())
        .isEmpty();
    assertThat(angora.recentMessages(10)).isEmpty();
  }

  @Test
  void explainSaysSoWhenTheStoreDoesNotKnowTheWorkflowAndExplainsTheRest()
      throws InterruptedException {
    Angora angora = startJoin("true");

    Explanation unknown = angora.explain("join.left.done", "nosuch-workflow", 1);

    assertThat(unknown.unknownWorkflow()).isTrue();
    assertThat(unknown.notes()).anyMatch(n -> n.contains("workflow nosuch-workflow is unknown "
        + "to the run store"));
    assertThat(unknown.root().tasks().get(0).holds()).singleElement().satisfies(hold ->
        assertThat(hold.reason()).contains("'left'").contains("nosuch-workflow"));
    Message sent = angora.send("join.left");
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    Explanation known = angora.explain("join.left.done", sent.workflowId(), 1);
    assertThat(known.unknownWorkflow()).isFalse();
    assertThat(known.notes()).noneMatch(n -> n.contains("unknown"));
  }

  /** Two parents, left and right, and a join waiting for both. */
  private Angora startJoin(String joinCommand) {
    return start(
        task("left", "join.left", "true").messages("join.left.done").build(),
        task("right", "join.right", "true").messages("join.right.done").build(),
        TaskDefinition.builder("join").triggers("join.left.done", "join.right.done")
            .command(joinCommand).parentSuccess(true).build());
  }

  @Test
  void replayingASkippedJoinChecksItsParentsAgainAndNeverJoinsTwice()
      throws InterruptedException {
    Angora angora = startJoin("echo joined");

    Message first = angora.send("join.left");
    Run held = awaitFinished(angora, "join", 1).get(0);
    assertThat(held.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(angora.awaitIdle(WAIT)).isTrue();

    // Still held back: the replay is skipped again, with the reason, and nothing runs.
    Run stillHeld = angora.replay(held.id());
    assertThat(stillHeld.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(stillHeld.reason()).contains("'right'");

    angora.send("join.right", null, first.workflowId());
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(runsOf(angora, "join")).filteredOn(r -> r.status() == RunStatus.SUCCEEDED)
        .hasSize(1);

    // The join ran for these parent runs: replaying the skipped one does not run it again.
    Run again = angora.replay(held.id());
    assertThat(again.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(again.reason()).contains("already ran");
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(runsOf(angora, "join")).filteredOn(r -> r.status() == RunStatus.SUCCEEDED)
        .hasSize(1);
  }

  @Test
  void replayTwoRunsExactlyThreeAttempts() throws InterruptedException {
    Angora angora = start(task("flaky", "go", "false").replay(2).build());

    angora.send("go");

    assertThat(angora.awaitIdle(WAIT)).isTrue();
    List<Run> runs = runsOf(angora, "flaky");
    assertThat(runs).extracting(Run::attempt).containsExactly(1, 2, 3);
    assertThat(runs).allMatch(r -> r.status() == RunStatus.FAILED && r.exitCode() == 1);
    assertThat(runs).extracting(Run::workflowId).containsOnly(runs.get(0).workflowId());
  }

  @Test
  void replayZeroRunsOnce() throws InterruptedException {
    Angora angora = start(task("once", "go", "false").replay(0).build());

    angora.send("go");

    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(runsOf(angora, "once")).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(RunStatus.FAILED));
  }

  @Test
  void missingExecutableIsAFailedRunWithItsReason() throws InterruptedException {
    Angora angora = start(task("ghost", "go", "no-such-command-angora --flag").replay(0).build());

    angora.send("go");

    Run run = awaitFinished(angora, "ghost", 1).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason()).contains("no-such-command-angora");
  }

  @Test
  void payloadReachesTheJobOnlyThroughItsEnvironment() {
    String payload = "$(touch angora-pwned); echo \"quoted\" 'single' `id`";
    Angora angora = start(task("show", "go", "printenv ANGORA_PAYLOAD ANGORA_MESSAGE").build());

    angora.send("go", payload);

    Run run = awaitFinished(angora, "show", 1).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.output()).contains(payload).contains("go");
    assertThat(java.nio.file.Path.of("angora-pwned")).doesNotExist();
  }

  @Test
  void manualRunIgnoresTriggers() {
    Angora angora = start(task("solo", "never.sent", "echo manual").build());

    Run queued = angora.run("solo");

    assertThat(queued.status()).isIn(RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.SUCCEEDED);
    Run run = awaitFinished(angora, "solo", 1).get(0);
    assertThat(run.id()).isEqualTo(queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.output()).contains("manual");
  }

  @Test
  void cancellingARunningJobKillsIt() {
    Angora angora = start(task("long", "go", "sleep 60").replay(0).build());
    angora.send("go");
    await().atMost(WAIT).until(() -> runsOf(angora, "long").stream()
        .anyMatch(r -> r.status() == RunStatus.RUNNING));
    String id = runsOf(angora, "long").get(0).id();

    assertThat(angora.cancel(id)).isTrue();

    Run run = awaitFinished(angora, "long", 1).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(angora.cancel(id)).isFalse();
  }

  @Test
  void replayOfAFinishedRunQueuesTheNextAttempt() throws InterruptedException {
    Angora angora = start(task("again", "go", "true").build());
    angora.send("go");
    Run first = awaitFinished(angora, "again", 1).get(0);

    Run second = angora.replay(first.id());

    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.workflowId()).isEqualTo(first.workflowId());
    assertThat(awaitFinished(angora, "again", 2).get(1).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  // Flow control and failure paths (issue 12).

  /** The most runs that were running at one instant, from their start and finish times. */
  private static int maxOverlap(List<Run> runs) {
    int max = 0;
    for (Run run : runs) {
      Instant at = Objects.requireNonNull(run.startedAt());
      int running = (int) runs.stream().filter(r -> !Objects.requireNonNull(r.startedAt())
          .isAfter(at) && Objects.requireNonNull(r.finishedAt()).isAfter(at)).count();
      max = Math.max(max, running);
    }
    return max;
  }

  /** The order waiting runs go in among equal priorities: queue time (ms), then id. */
  private static final Comparator<Run> QUEUE_ORDER = Comparator
      .comparing((Run r) -> r.queuedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
      .thenComparing(Run::id);

  private static List<Run> byStart(List<Run> runs) {
    return runs.stream().sorted(Comparator.comparing(Run::startedAt)).toList();
  }

  @Test
  void aConcurrencyOneTaskRunsItsRunsOneAfterTheOther() throws InterruptedException {
    Angora angora = start(task("serial", "flow.serial", "sleep 1").concurrency(1).replay(0)
        .build());

    for (int i = 0; i < 5; i++) {
      angora.send("flow.serial");
    }

    List<Run> runs = awaitFinished(angora, "serial", 5);
    assertThat(runs).hasSize(5).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
    List<Run> ordered = byStart(runs);
    for (int i = 1; i < ordered.size(); i++) {
      assertThat(ordered.get(i).startedAt()).as("start of run %d after the end of run %d", i,
          i - 1).isAfterOrEqualTo(ordered.get(i - 1).finishedAt());
    }
    // The first went at once; those that waited went oldest first.
    assertThat(ordered.subList(1, 5)).as("oldest first").isSortedAccordingTo(QUEUE_ORDER);
  }

  @Test
  void aConcurrencyGroupOfTwoHoldsOverThreeTasks() throws InterruptedException {
    TaskDefinition[] tasks = new TaskDefinition[3];
    for (int i = 0; i < 3; i++) {
      tasks[i] = task("backup_" + i, "flow.backup." + i, "sleep 1")
          .concurrencyGroup("database", 2).replay(0).build();
    }
    Angora angora = start(tasks);

    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 3; i++) {
        angora.send("flow.backup." + i);
      }
    }

    assertThat(angora.awaitIdle(WAIT)).isTrue();
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.addAll(runsOf(angora, "backup_" + i));
    }
    assertThat(runs).hasSize(6).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
    assertThat(maxOverlap(runs)).as("runs of the group at once").isEqualTo(2);
  }

  @Test
  void overflowSkipRecordsTheRunsOverTheLimitSkippedWithTheReason()
      throws InterruptedException {
    Angora angora = start(task("sync", "flow.sync", "sleep 1").concurrency(1)
        .overflow(io.angora.api.FlowControl.Overflow.SKIP).replay(0).build());

    for (int i = 0; i < 3; i++) {
      angora.send("flow.sync");
    }

    assertThat(angora.awaitIdle(WAIT)).isTrue();
    // In send order (message ids grow): runs recorded within one millisecond share their queue
    // time, and their ids come from a digest.
    List<Run> runs = runsOf(angora, "sync").stream().sorted(Comparator.comparing(
        Run::messageId)).toList();
    assertThat(runs).extracting(Run::status).containsExactly(RunStatus.SUCCEEDED,
        RunStatus.SKIPPED, RunStatus.SKIPPED);
    assertThat(runs.get(1).reason()).contains("concurrency limit reached: 1 of 1 running",
        "overflow: skip");
    assertThat(runs.get(1).startedAt()).isNull();

    angora.send("flow.sync");
    assertThat(awaitFinished(angora, "sync", 4).get(3).status())
        .as("a slot is free again").isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aRateOfTwoPerSecondSpreadsTenRunsOverFourSeconds() throws InterruptedException {
    Angora angora = start(task("mail", "flow.mail", "true").rate(2, Duration.ofSeconds(1))
        .replay(0).build());

    for (int i = 0; i < 10; i++) {
      angora.send("flow.mail");
    }

    List<Run> runs = awaitFinished(angora, "mail", 10);
    assertThat(runs).hasSize(10).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
    Instant firstQueued = runs.stream().map(Run::queuedAt).min(Comparator.naturalOrder())
        .orElseThrow();
    Instant lastStarted = runs.stream().map(Run::startedAt).map(Objects::requireNonNull)
        .max(Comparator.naturalOrder()).orElseThrow();
    // Two starts per second: the 9th and 10th wait four full windows after the 1st.
    assertThat(Duration.between(firstQueued, lastStarted)).isGreaterThanOrEqualTo(
        Duration.ofSeconds(4));
  }

  @Test
  void aBacklogIsServedHigherPriorityFirstThenOldestFirst() throws InterruptedException {
    Angora angora = start(
        task("blocker", "flow.block", "sleep 1").concurrencyGroup("lane", 1).replay(0).build(),
        task("low", "flow.low", "true").concurrencyGroup("lane", 1).priority(1).replay(0)
            .build(),
        task("mid", "flow.mid", "true").concurrencyGroup("lane", 1).priority(5).replay(0)
            .build(),
        task("high", "flow.high", "true").concurrencyGroup("lane", 1).priority(9).replay(0)
            .build());

    angora.send("flow.block");
    await().atMost(WAIT).until(() -> !runsOf(angora, "blocker").isEmpty());
    for (String level : List.of("low", "mid", "low", "high")) {
      angora.send("flow." + level);
      await().atMost(WAIT).until(() -> !runsOf(angora, level).isEmpty());
    }
    assertThat(angora.awaitIdle(WAIT)).isTrue();

    List<Run> runs = new ArrayList<>();
    for (String name : List.of("blocker", "low", "mid", "high")) {
      runs.addAll(runsOf(angora, name));
    }
    assertThat(runs).hasSize(5).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
    List<Run> ordered = byStart(runs);
    assertThat(ordered).extracting(Run::task)
        .containsExactly("blocker", "high", "mid", "low", "low");
    assertThat(ordered.get(3).queuedAt()).isBefore(ordered.get(4).queuedAt());
    assertThat(maxOverlap(runs)).isEqualTo(1);
  }

  @Test
  void onFailureIsSentOnceAfterTheLastAttemptAndItsJobSeesTheFailedRun()
      throws InterruptedException {
    Angora angora = start(
        task("fragile", "flow.fragile", "false").replay(1).onFailure("flow.failed").build(),
        task("alert", "flow.failed", "sh -c 'echo \"$ANGORA_FAILED_RUN_ID|$ANGORA_FAILED_STATUS|"
            + "$ANGORA_FAILED_REASON\"'").replay(0).build());

    Message sent = angora.send("flow.fragile");

    Run alert = awaitFinished(angora, "alert", 1).get(0);
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    List<Run> attempts = runsOf(angora, "fragile");
    assertThat(attempts).extracting(Run::attempt).containsExactly(1, 2);
    Run last = attempts.get(1);
    assertThat(last.status()).isEqualTo(RunStatus.FAILED);
    assertThat(runsOf(angora, "alert")).as("sent once").hasSize(1);
    assertThat(alert.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(alert.parentRunId()).isEqualTo(last.id());
    assertThat(alert.workflowId()).isEqualTo(sent.workflowId());
    assertThat(alert.queuedAt()).isAfterOrEqualTo(last.finishedAt());
    assertThat(alert.output().strip()).isEqualTo(last.id() + "|FAILED|" + last.reason());
  }

  @Test
  void aCancelledRunIsNoFailure() throws InterruptedException {
    Angora angora = start(
        task("long", "flow.long", "sleep 60").replay(0).onFailure("flow.failed").build(),
        task("alert", "flow.failed", "true").build());
    angora.send("flow.long");
    await().atMost(WAIT).until(() -> runsOf(angora, "long").stream()
        .anyMatch(r -> r.status() == RunStatus.RUNNING));

    assertThat(angora.cancel(runsOf(angora, "long").get(0).id())).isTrue();

    assertThat(awaitFinished(angora, "long", 1).get(0).status())
        .isEqualTo(RunStatus.CANCELLED);
    assertThat(angora.awaitIdle(WAIT)).isTrue();
    assertThat(runsOf(angora, "alert")).isEmpty();
  }

  @Test
  void waitingRunsKeepTheirOrderAndLimitAcrossACoordinatorRestart()
      throws InterruptedException {
    RunStore store = new InMemoryRunStore();
    TaskDefinition serial = task("serial", "flow.serial", "sleep 1").concurrency(1).replay(0)
        .build();
    Angora first = start(newTransport(), store, serial);
    for (int i = 0; i < 4; i++) {
      first.send("flow.serial");
    }
    await().atMost(WAIT).until(() -> runsOf(first, "serial").stream()
        .filter(r -> r.status() == RunStatus.QUEUED).count() == 3);
    List<String> waiting = runsOf(first, "serial").stream()
        .filter(r -> r.status() == RunStatus.QUEUED).sorted(QUEUE_ORDER).map(Run::id).toList();
    assertThat(first.flowHold("serial")).hasValueSatisfying(
        why -> assertThat(why).contains("1 of 1 running"));

    first.close();
    Angora second = start(reopenTransport(), store, serial);

    assertThat(second.awaitIdle(WAIT)).isTrue();
    List<Run> runs = runsOf(second, "serial");
    assertThat(runs).hasSize(4);
    assertThat(runs).filteredOn(r -> waiting.contains(r.id()))
        .allMatch(r -> r.status() == RunStatus.SUCCEEDED);
    List<Run> ran = runs.stream().filter(r -> r.startedAt() != null).toList();
    assertThat(byStart(ran).stream().map(Run::id).filter(waiting::contains).toList())
        .as("the waiting runs in their order").isEqualTo(waiting);
    assertThat(maxOverlap(ran)).isEqualTo(1);
    assertThat(second.flowHold("serial")).isEmpty();
  }
}
