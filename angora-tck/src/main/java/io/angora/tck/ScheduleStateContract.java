package io.angora.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.RunStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link RunStore} that keeps schedule state (an optional ability): the last
 * fire time of each schedule ({@link RunStore#lastFire}, {@link RunStore#recordFire}) and
 * whether it is paused ({@link RunStore#schedulePaused}, {@link RunStore#setSchedulePaused}).
 * A store without it keeps the default methods, which throw; the engine then keeps the state in
 * memory and a restarted coordinator may fire a schedule again.
 *
 * <p>Extend it and return a new empty store from {@link #newStore}; for a durable store,
 * {@link #reopen} returns a store on the same data, as a restarted coordinator would.
 */
public abstract class ScheduleStateContract {
  private final List<RunStore> stores = new ArrayList<>();

  /**
   * Creates an empty store.
   *
   * @return the store
   * @throws Exception if it cannot be created
   */
  protected abstract RunStore newStore() throws Exception;

  /**
   * Closes a store and opens another on the same data; a store that lives in memory only
   * returns it unchanged (the default).
   *
   * @param store a store made by {@link #newStore} or this method
   * @return a store seeing what the given one recorded
   * @throws Exception if it cannot be reopened
   */
  protected RunStore reopen(RunStore store) throws Exception {
    return store;
  }

  /**
   * Releases a store after a case; closes it by default.
   *
   * @param used the store (possibly closed already)
   * @throws Exception if it cannot be released
   */
  protected void cleanUp(RunStore used) throws Exception {
    used.close();
  }

  private RunStore store() throws Exception {
    RunStore store = newStore();
    stores.add(store);
    return store;
  }

  private RunStore reopened(RunStore store) throws Exception {
    RunStore again = reopen(store);
    if (again != store) {
      stores.add(again);
    }
    return again;
  }

  @AfterEach
  final void releaseStores() throws Exception {
    for (RunStore used : stores) {
      cleanUp(used);
    }
  }

  @Test
  void aScheduleThatNeverFiredHasNoLastFire() throws Exception {
    assertThat(store().lastFire("nightly")).isEmpty();
  }

  @Test
  void theLastRecordedFireTimeWinsPerSchedule() throws Exception {
    RunStore store = store();
    Instant first = Instant.parse("2026-11-30T01:05:00Z");
    Instant second = Instant.parse("2026-12-01T01:05:00Z");
    store.recordFire("nightly", first);
    store.recordFire("hourly", second);
    store.recordFire("nightly", second);

    assertThat(store.lastFire("nightly")).contains(second);
    assertThat(store.lastFire("hourly")).contains(second);
    assertThat(store.lastFire("other")).isEmpty();
  }

  @Test
  void fireTimesKeepTheMicrosecond() throws Exception {
    RunStore store = store();
    Instant precise = Instant.parse("2026-11-30T01:05:00.123456Z");
    store.recordFire("s", precise);
    assertThat(store.lastFire("s")).contains(precise);
  }

  @Test
  void pauseAndResume() throws Exception {
    RunStore store = store();
    assertThat(store.schedulePaused("nightly")).isFalse();

    store.setSchedulePaused("nightly", true);
    store.setSchedulePaused("nightly", true);
    assertThat(store.schedulePaused("nightly")).isTrue();
    assertThat(store.schedulePaused("hourly")).isFalse();

    store.setSchedulePaused("nightly", false);
    assertThat(store.schedulePaused("nightly")).isFalse();
  }

  @Test
  void pauseAndLastFireAreIndependent() throws Exception {
    RunStore store = store();
    Instant at = Instant.parse("2026-11-30T01:05:00Z");
    store.recordFire("nightly", at);
    store.setSchedulePaused("nightly", true);
    assertThat(store.lastFire("nightly")).contains(at);

    store.setSchedulePaused("paused-first", true);
    store.recordFire("paused-first", at);
    assertThat(store.schedulePaused("paused-first")).isTrue();
  }

  @Test
  void stateSurvivesAReopen() throws Exception {
    RunStore store = store();
    Instant at = Instant.parse("2026-11-30T01:05:00Z");
    store.recordFire("nightly", at);
    store.setSchedulePaused("nightly", true);

    RunStore again = reopened(store);

    assertThat(again.lastFire("nightly")).contains(at);
    assertThat(again.schedulePaused("nightly")).isTrue();
  }
}
