package io.angora.tck;

import static io.angora.tck.RunFixtures.finish;
import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link RunStore} passes: extend it, return a new empty store from
 * {@link #newStore()}, and release it in {@link #cleanUp(RunStore)} if closing is not enough.
 *
 * <p>Precision: stores keep {@link Instant}s to at least the microsecond; the cases use
 * microsecond-precise times and expect them back exactly, and accept a finer instant back
 * truncated to the microsecond. Run ids are zero-padded counters, so they sort in creation
 * order as the {@link Run} Javadoc requires. Every read follows writes immediately, without
 * waiting: a store that batches writes must answer with them (read-your-writes).
 *
 * <p>Retention, an optional ability, has its own contract: {@link RunStoreRetentionContract}.
 */
public abstract class RunStoreContract {

  /** Makes runs with ids in creation order; fresh for each case. */
  protected final RunFixtures fixtures = new RunFixtures();

  /** The store under test; fresh for each case. */
  protected RunStore store;

  /**
   * Creates an empty store. Called once before every case.
   *
   * @return the store
   * @throws Exception if it cannot be created
   */
  protected abstract RunStore newStore() throws Exception;

  /**
   * Releases a store after a case; closes it by default. Override to delete files or schemas.
   *
   * @param used the store the case used (possibly closed already)
   * @throws Exception if it cannot be released
   */
  protected void cleanUp(RunStore used) throws Exception {
    used.close();
  }

  /**
   * Abandons a store as a crash of its process would (nothing more is written: writes not yet
   * durable may be lost) and opens a new instance on the same database. Empty, the default,
   * for a store that keeps nothing beyond its instance; its durability cases then check only
   * that {@link RunStore#flush()} completes.
   *
   * @param crashed the store to abandon
   * @return the new instance, or empty
   * @throws Exception if it cannot be reopened
   */
  protected Optional<RunStore> reopenAfterCrash(RunStore crashed) throws Exception {
    return Optional.empty();
  }

  @BeforeEach
  final void createStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  final void releaseStore() throws Exception {
    cleanUp(store);
  }

  @Test
  void findsAnInsertedRun() {
    Run run = fixtures.queued("build", "wf-1");
    store.insert(run);
    assertThat(store.find(run.id())).contains(run);
    assertThat(store.find("no-such-run")).isEmpty();
  }

  @Test
  void updatesRoundTripEveryField() {
    Instant queued = Instant.parse("2026-03-01T08:00:00.000001Z");
    Message trigger = new Message("m-1", "deploy.prod", "{\"version\":\"1.2\"} ü ✓ 🚀", "wf-9",
        "r000000000", null, queued);
    Run run = Run.queued(fixtures.nextRunId(), "deploy", trigger, 3, queued);
    store.insert(run);
    assertThat(store.find(run.id())).contains(run);

    Run running = run.started("worker-7", Instant.parse("2026-03-01T08:00:01.999999Z"));
    store.update(running);
    assertThat(store.find(run.id())).contains(running);

    Run failed = running.finished(RunStatus.FAILED, 137, "killed: größer als 🐘",
        "line 1\nzeile 2 — ünïcödé 日本語 🚀\ttab\r\n", Instant.parse("2026-03-01T09:10:11.123456Z"));
    store.update(failed);
    assertThat(store.find(run.id())).contains(failed);
  }

  @Test
  void nullableFieldsRoundTripAsNull() {
    Run run = fixtures.queued("nulls", "wf-1");
    assertThat(run.payload()).isNull();
    assertThat(run.parentRunId()).isNull();
    store.insert(run);
    Run timedOut = run.started("w", run.queuedAt()).finished(RunStatus.TIMED_OUT, null, null, "",
        run.queuedAt().plusSeconds(5));
    store.update(timedOut);
    Run found = store.find(run.id()).orElseThrow();
    assertThat(found).isEqualTo(timedOut);
    assertThat(found.exitCode()).isNull();
    assertThat(found.reason()).isNull();
    assertThat(found.output()).isEmpty();
  }

  @Test
  void everyStatusRoundTrips() {
    for (RunStatus status : RunStatus.values()) {
      Run run = fixtures.queued("t", "wf");
      Run stored = status.isFinal() ? finish(run, status)
          : status == RunStatus.RUNNING ? run.started("w", run.queuedAt()) : run;
      store.insert(stored);
      assertThat(store.find(run.id())).as("status %s", status).contains(stored);
    }
  }

  @Test
  void keepsInstantsToTheMicrosecond() {
    Instant nanos = Instant.parse("2026-03-01T08:00:00.123456789Z");
    Run run = fixtures.queued(fixtures.nextRunId(), "t", "wf", nanos);
    store.insert(run);
    Instant back = store.find(run.id()).orElseThrow().queuedAt();
    assertThat(back.truncatedTo(ChronoUnit.MICROS)).isEqualTo(nanos.truncatedTo(ChronoUnit.MICROS));
  }

  @Test
  void listsNewestFirstWhateverTheInsertOrder() {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(fixtures.queued("t", "wf"));
    }
    for (int i : new int[] {3, 0, 5, 1, 4, 2}) {
      store.insert(runs.get(i));
    }
    RunPage page = store.query(RunQuery.newest(100));
    assertThat(page.runs()).extracting(Run::id)
        .containsExactlyElementsOf(runs.stream().map(Run::id).sorted(Comparator.reverseOrder())
            .toList());
    assertThat(page.next()).isNull();
  }

  @Test
  void filtersByEveryFieldAndTheirCombinations() {
    List<Run> all = new ArrayList<>();
    String[] tasks = {"a", "b"};
    String[] workflows = {"wf-1", "wf-2"};
    RunStatus[] statuses = {RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.SUCCEEDED,
        RunStatus.FAILED};
    for (int round = 0; round < 2; round++) {
      for (String task : tasks) {
        for (String wf : workflows) {
          for (RunStatus status : statuses) {
            Run run = fixtures.queued(task, wf);
            store.insert(run);
            Run now = status == RunStatus.QUEUED ? run
                : status == RunStatus.RUNNING ? run.started("w", run.queuedAt())
                : finish(run, status);
            store.update(now);
            all.add(now);
          }
        }
      }
    }
    for (String task : new String[] {null, "a", "b", "nobody"}) {
      for (RunStatus status : new RunStatus[] {null, RunStatus.QUEUED, RunStatus.RUNNING,
          RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED}) {
        for (String wf : new String[] {null, "wf-1", "wf-2"}) {
          Predicate<Run> match = r -> (task == null || r.task().equals(task))
              && (status == null || r.status() == status)
              && (wf == null || r.workflowId().equals(wf));
          List<Run> expected = all.stream().filter(match)
              .sorted(Comparator.comparing(Run::id).reversed()).toList();
          RunQuery query = new RunQuery(task, status, wf, null, RunQuery.MAX_LIMIT);
          assertThat(store.query(query).runs()).as("%s", query).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void pagesWithBeforeAndNextCoverEveryRunOnce() {
    List<String> ids = new ArrayList<>();
    List<String> idsOfA = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String task = i % 3 == 0 ? "a" : "b";
      Run run = fixtures.queued(task, "wf");
      store.insert(run);
      ids.add(0, run.id());
      if (task.equals("a")) {
        idsOfA.add(0, run.id());
      }
    }
    assertThat(allPages(RunQuery.newest(5))).containsExactlyElementsOf(ids);
    assertThat(allPages(RunQuery.newest(5).withTask("a"))).containsExactlyElementsOf(idsOfA);
    assertThat(allPages(RunQuery.newest(1))).containsExactlyElementsOf(ids);
    assertThat(allPages(RunQuery.newest(23))).containsExactlyElementsOf(ids);
  }

  private List<String> allPages(RunQuery first) {
    List<String> seen = new ArrayList<>();
    RunQuery query = first;
    for (int pages = 0; pages < 100; pages++) {
      RunPage page = store.query(query);
      assertThat(page.runs()).hasSizeLessThanOrEqualTo(first.limit());
      page.runs().forEach(r -> seen.add(r.id()));
      if (page.next() == null) {
        return seen;
      }
      assertThat(page.runs()).as("a page with a next cursor is full").hasSize(first.limit());
      assertThat(page.next()).isEqualTo(page.runs().get(page.runs().size() - 1).id());
      query = query.withBefore(page.next());
    }
    throw new AssertionError("paging did not end after 100 pages: " + seen);
  }

  @Test
  void limitsAPageAndGivesTheCursor() {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(fixtures.queued("t", "wf"));
      store.insert(runs.get(i));
    }
    RunPage first = store.query(RunQuery.newest(2));
    assertThat(first.runs()).extracting(Run::id).containsExactly(runs.get(4).id(),
        runs.get(3).id());
    assertThat(first.next()).isEqualTo(runs.get(3).id());

    RunPage beforeThird = store.query(RunQuery.newest(10).withBefore(runs.get(2).id()));
    assertThat(beforeThird.runs()).extracting(Run::id).containsExactly(runs.get(1).id(),
        runs.get(0).id());
    assertThat(beforeThird.next()).isNull();

    RunPage exact = store.query(RunQuery.newest(5));
    assertThat(exact.runs()).hasSize(5);
    assertThat(exact.next()).as("no cursor when nothing is left").isNull();
    assertThat(store.query(RunQuery.newest(5).withBefore(runs.get(0).id())).runs()).isEmpty();
  }

  @Test
  void listsAWorkflowOldestFirst() {
    Run first = fixtures.queued("one", "wf-a");
    Run other = fixtures.queued("one", "wf-b");
    Run second = fixtures.queued("two", "wf-a");
    Run third = fixtures.queued("three", "wf-a");
    for (Run run : List.of(third, other, first, second)) {
      store.insert(run);
    }
    store.update(finish(first, RunStatus.SUCCEEDED));
    assertThat(store.workflow("wf-a")).containsExactly(finish(first, RunStatus.SUCCEEDED), second,
        third);
    assertThat(store.workflow("wf-unknown")).isEmpty();
  }

  @Test
  void findsTheLatestRunOfATaskOverallAndWithinAWorkflow() {
    Run a1 = fixtures.queued("a", "wf-1");
    Run a2 = fixtures.queued("a", "wf-2");
    Run b1 = fixtures.queued("b", "wf-1");
    Run a1again = fixtures.queued("a", "wf-1");
    Run a3 = fixtures.queued("a", "wf-3");
    for (Run run : List.of(a1, a2, b1, a1again, a3)) {
      store.insert(run);
    }
    Run a1done = finish(a1again, RunStatus.FAILED);
    store.update(a1done);
    assertThat(store.latest("a", "wf-1")).contains(a1done);
    assertThat(store.latest("a", "wf-2")).contains(a2);
    assertThat(store.latest("a", null)).contains(a3);
    assertThat(store.latest("b", null)).contains(b1);
    assertThat(store.latest("b", "wf-2")).isEmpty();
    assertThat(store.latest("nobody", null)).isEmpty();
  }

  @Test
  void listsUnfinishedRunsOldestFirst() {
    Run queued = fixtures.queued("a", "wf");
    Run running = fixtures.queued("b", "wf");
    Run done = fixtures.queued("c", "wf");
    Run later = fixtures.queued("d", "wf");
    for (Run run : List.of(later, done, running, queued)) {
      store.insert(run);
    }
    store.update(running.started("w", running.queuedAt()));
    store.update(finish(done, RunStatus.SUCCEEDED));
    assertThat(store.unfinished()).containsExactly(queued,
        running.started("w", running.queuedAt()), later);

    store.update(finish(later, RunStatus.CANCELLED));
    assertThat(store.unfinished()).extracting(Run::id).containsExactly(queued.id(), running.id());
  }

  @Test
  void recordsAndFindsMessages() {
    Message plain = fixtures.message("example.step.1", null);
    Message full = new Message("m-full", "deploy.prod", "päylöad ✓ 🚀\nline 2", "wf-x",
        "r000000042", "deploy", Instant.parse("2026-03-01T10:00:00.654321Z"));
    Message last = fixtures.message("example.step.2", "p");
    store.recordMessage(plain);
    store.recordMessage(full);
    store.recordMessage(last);
    assertThat(store.findMessage("m-full")).contains(full);
    assertThat(store.findMessage(plain.id())).contains(plain);
    assertThat(store.findMessage("no-such-message")).isEmpty();
    assertThat(store.recentMessages(10)).containsExactly(last, full, plain);
    assertThat(store.recentMessages(2)).containsExactly(last, full);
  }

  @Test
  void keepsPendingReplaysEarliestFirstAndOnePerRun() {
    Instant t = RunFixtures.BASE;
    store.scheduleReplay(new PendingReplay("r3", t.plusSeconds(30)));
    store.scheduleReplay(new PendingReplay("r1", t.plusSeconds(10)));
    store.scheduleReplay(new PendingReplay("r2", t.plusSeconds(20)));
    assertThat(store.pendingReplays()).extracting(PendingReplay::runId)
        .containsExactly("r1", "r2", "r3");

    PendingReplay moved = new PendingReplay("r1", t.plusSeconds(40).plusNanos(1000));
    store.scheduleReplay(moved);
    assertThat(store.pendingReplays()).containsExactly(
        new PendingReplay("r2", t.plusSeconds(20)), new PendingReplay("r3", t.plusSeconds(30)),
        moved);

    store.removeReplay("r2");
    store.removeReplay("r2");
    store.removeReplay("never-scheduled");
    assertThat(store.pendingReplays()).extracting(PendingReplay::runId)
        .containsExactly("r3", "r1");
  }

  @Test
  @Timeout(60)
  void concurrentWritersLoseNothing() throws Exception {
    int threads = 6;
    int perThread = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Run>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String task = "task-" + t;
        results.add(pool.submit(() -> {
          List<Run> done = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            Run run = fixtures.queued(task, "wf-" + (i % 7));
            store.insert(run);
            store.update(run.started(task, run.queuedAt()));
            store.recordMessage(new Message("msg-" + run.id(), "go", null, run.workflowId(), null,
                null, run.queuedAt()));
            Run finished = finish(run, i % 2 == 0 ? RunStatus.SUCCEEDED : RunStatus.FAILED);
            store.update(finished);
            assertThat(store.find(run.id())).contains(finished);
            done.add(finished);
          }
          return done;
        }));
      }
      List<Run> all = new ArrayList<>();
      for (Future<List<Run>> result : results) {
        all.addAll(result.get());
      }
      all.sort(Comparator.comparing(Run::id).reversed());
      List<Run> listed = new ArrayList<>();
      RunQuery query = RunQuery.newest(RunQuery.MAX_LIMIT);
      RunPage page;
      do {
        page = store.query(query);
        listed.addAll(page.runs());
        query = query.withBefore(page.next());
      } while (page.next() != null);
      assertThat(listed).isEqualTo(all);
      assertThat(store.unfinished()).isEmpty();
      assertThat(store.recentMessages(threads * perThread + 10)).hasSize(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void insertingARecordedRunLeavesItAsItIs() {
    Run run = fixtures.queued("t", "wf");
    store.insert(run);
    Run done = finish(run, RunStatus.SUCCEEDED);
    store.update(done);
    store.insert(run);
    assertThat(store.find(run.id())).contains(done);
    assertThat(store.query(RunQuery.newest(10)).runs()).containsExactly(done);
    assertThat(store.unfinished()).isEmpty();

    Run other = fixtures.queued("t", "wf");
    store.insert(other);
    store.insert(other.started("w", other.queuedAt()));
    assertThat(store.find(other.id())).contains(other);
  }

  @Test
  void recordingAKnownMessageKeepsTheFirst() {
    Message first = fixtures.message("a.b", "first");
    store.recordMessage(first);
    store.recordMessage(new Message(first.id(), "other.text", "second", "wf-other", null, null,
        first.sentAt().plusSeconds(5)));
    assertThat(store.findMessage(first.id())).contains(first);
    assertThat(store.recentMessages(10)).containsExactly(first);
  }

  @Test
  @Timeout(60)
  void flushCompletesOnceEarlierWritesAreDurableForANewInstance() throws Exception {
    assertThat(store.flush()).as("nothing written yet").succeedsWithin(java.time.Duration
        .ofSeconds(30));
    List<Run> runs = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Run run = fixtures.queued("t", "wf-" + (i % 3));
      store.insert(run);
      Run now = i % 2 == 0 ? finish(run, RunStatus.SUCCEEDED) : run.started("w", run.queuedAt());
      store.update(now);
      runs.add(now);
      Message message = fixtures.message("m." + i, null);
      store.recordMessage(message);
      messages.add(0, message);
    }
    PendingReplay replay = new PendingReplay(runs.get(0).id(), RunFixtures.BASE.plusSeconds(9));
    store.scheduleReplay(replay);
    store.flush().get(30, TimeUnit.SECONDS);

    Optional<RunStore> reopened = reopenAfterCrash(store);
    if (reopened.isEmpty()) {
      assertThat(store.find(runs.get(7).id())).contains(runs.get(7));
      return;
    }
    store = reopened.get();
    assertThat(store.query(RunQuery.newest(RunQuery.MAX_LIMIT)).runs())
        .containsExactlyElementsOf(runs.stream().sorted(Comparator.comparing(Run::id).reversed())
            .toList());
    assertThat(store.recentMessages(100)).containsExactlyElementsOf(messages);
    assertThat(store.pendingReplays()).containsExactly(replay);

    // Redelivered after the crash: the recorded run and message stand, now and after another.
    Run again = fixtures.queued(runs.get(0).id(), "t", "wf-0", runs.get(0).queuedAt());
    store.insert(again);
    store.recordMessage(new Message(messages.get(0).id(), "x", "y", "wf-x", null, null,
        RunFixtures.BASE));
    store.flush().get(30, TimeUnit.SECONDS);
    store = reopenAfterCrash(store).orElseThrow();
    assertThat(store.find(again.id())).contains(runs.get(0));
    assertThat(store.findMessage(messages.get(0).id())).contains(messages.get(0));
  }

  @Test
  @Timeout(60)
  void flushesFromManyThreadsAllComplete() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Run>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        results.add(pool.submit(() -> {
          Run run = fixtures.queued("t", "wf");
          store.insert(run);
          store.flush().get(30, TimeUnit.SECONDS);
          return run;
        }));
      }
      for (Future<Run> result : results) {
        Run run = result.get(30, TimeUnit.SECONDS);
        assertThat(store.find(run.id())).contains(run);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeIsIdempotent() {
    store.insert(fixtures.queued("t", "wf"));
    store.close();
    store.close();
  }
}
