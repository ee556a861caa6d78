package io.angora.tck;

import static io.angora.tck.RunFixtures.finish;
import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link RunStore} that prunes old history (an optional ability): runs older
 * than a maximum age, runs beyond the newest N of their task, messages older than the maximum
 * age. Pruning never removes a run that is not finished or that has a pending replay.
 *
 * <p>Extend it, create a store with the given limits and clock in {@link #newStore}, and prune
 * it synchronously in {@link #prune}.
 */
public abstract class RunStoreRetentionContract {

  /** The clock stores see; the cases move it. */
  protected final TestClock clock = new TestClock(Instant.parse("2026-06-01T00:00:00Z"));

  private final List<RunStore> stores = new ArrayList<>();

  /**
   * Creates an empty store that prunes by the given limits.
   *
   * @param clock what "now" is for the store
   * @param maxAge runs queued and messages sent longer ago than this go; null for no limit
   * @param keepPerTask only the newest this many runs of each task stay; 0 for no limit
   * @return the store
   * @throws Exception if it cannot be created
   */
  protected abstract RunStore newStore(TestClock clock, @Nullable Duration maxAge,
      int keepPerTask) throws Exception;

  /**
   * Prunes a store now and returns when done.
   *
   * @param store a store made by {@link #newStore}
   * @throws Exception if pruning fails
   */
  protected abstract void prune(RunStore store) throws Exception;

  /**
   * Releases a store after a case; closes it by default.
   *
   * @param used the store
   * @throws Exception if it cannot be released
   */
  protected void cleanUp(RunStore used) throws Exception {
    used.close();
  }

  @AfterEach
  final void releaseStores() throws Exception {
    for (RunStore used : stores) {
      cleanUp(used);
    }
  }

  private RunStore store(@Nullable Duration maxAge, int keepPerTask) throws Exception {
    RunStore made = newStore(clock, maxAge, keepPerTask);
    stores.add(made);
    return made;
  }

  @Test
  void prunesFinishedRunsOlderThanTheMaximumAge() throws Exception {
    RunStore store = store(Duration.ofDays(30), 0);
    RunFixtures old = new RunFixtures(clock.instant().minus(Duration.ofDays(40)));
    List<Run> oldRuns = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      oldRuns.add(old.queued("t", "wf-old"));
    }
    Run oldQueued = old.queued("t", "wf-old");
    Run oldRunning = old.queued("t", "wf-old");
    Run oldWithReplay = old.queued("t", "wf-old");
    RunFixtures recent = new RunFixtures(clock.instant().minus(Duration.ofDays(2)));
    for (int i = 0; i < 10; i++) {
      recent.nextRunId();
    }
    Run fresh = recent.queued("t", "wf-new");

    for (Run run : oldRuns) {
      store.insert(finish(run, RunStatus.SUCCEEDED));
    }
    store.insert(oldQueued);
    store.insert(oldRunning.started("w", oldRunning.queuedAt()));
    store.insert(finish(oldWithReplay, RunStatus.FAILED));
    store.scheduleReplay(new PendingReplay(oldWithReplay.id(), clock.instant()));
    store.insert(finish(fresh, RunStatus.SUCCEEDED));

    prune(store);

    assertThat(store.query(RunQuery.newest(100)).runs()).extracting(Run::id)
        .containsExactly(fresh.id(), oldWithReplay.id(), oldRunning.id(), oldQueued.id());
    for (Run run : oldRuns) {
      assertThat(store.find(run.id())).isEmpty();
    }
    assertThat(store.workflow("wf-old")).hasSize(3);
  }

  @Test
  void keepsTheNewestRunsOfEachTask() throws Exception {
    RunStore store = store(null, 3);
    RunFixtures fixtures = new RunFixtures(clock.instant().minus(Duration.ofDays(900)));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      for (String task : List.of("a", "b", "c")) {
        Run run = finish(fixtures.queued(task, "wf-" + i), RunStatus.SUCCEEDED);
        store.insert(run);
        if (i >= 5) {
          expected.add(0, run.id());
        }
      }
    }
    Run onlyOne = finish(fixtures.queued("d", "wf"), RunStatus.FAILED);
    store.insert(onlyOne);
    expected.add(0, onlyOne.id());

    prune(store);

    assertThat(store.query(RunQuery.newest(100)).runs()).extracting(Run::id)
        .containsExactlyElementsOf(expected);
    assertThat(store.latest("a", null)).isPresent();
  }

  @Test
  void prunesOldMessages() throws Exception {
    RunStore store = store(Duration.ofDays(30), 0);
    Message old = new Message("m-old", "x", null, "wf", null, null,
        clock.instant().minus(Duration.ofDays(31)));
    Message fresh = new Message("m-new", "y", null, "wf", null, null,
        clock.instant().minus(Duration.ofDays(29)));
    store.recordMessage(old);
    store.recordMessage(fresh);

    prune(store);

    assertThat(store.findMessage("m-old")).isEmpty();
    assertThat(store.recentMessages(10)).containsExactly(fresh);
  }

  @Test
  void keepsEverythingWithoutLimitsAndAsTimePasses() throws Exception {
    RunStore store = store(null, 0);
    RunFixtures fixtures = new RunFixtures(clock.instant().minus(Duration.ofDays(5000)));
    Run run = finish(fixtures.queued("t", "wf"), RunStatus.SUCCEEDED);
    store.insert(run);
    clock.advance(Duration.ofDays(365));

    prune(store);

    assertThat(store.find(run.id())).contains(run);
  }
}
