package io.angora.engine.internal.coordinator;

import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays of failed runs: recorded in the run store (so a restart loses none) and fired by a
 * timer after an exponential backoff. Thread-safe.
 */
final class Replays implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Replays.class);

  private final RunStore store;
  private final Clock clock;
  private final Backoff backoff;
  private final Consumer<PendingReplay> fire;
  private final ScheduledExecutorService timer;
  private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();

  Replays(RunStore store, Clock clock, Backoff backoff, Consumer<PendingReplay> fire) {
    this.store = store;
    this.clock = clock;
    this.backoff = backoff;
    this.fire = fire;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "angora-replays");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Schedules the next attempt of a failed run when its task has attempts left. The due time
   * counts from when the run failed, so that the same failure handled again (an outcome
   * redelivered after a crash) schedules the same replay.
   *
   * @return false when the task has no attempt left: the run has failed for good
   */
  boolean afterFailure(TaskDefinition task, Run failed) {
    if (!task.replaysForever() && failed.attempt() > task.replay()) {
      return false;
    }
    Instant failedAt = failed.finishedAt() != null ? failed.finishedAt() : clock.instant();
    Instant due = failedAt.plus(backoff.after(failed.attempt()));
    PendingReplay replay = new PendingReplay(failed.id(), due);
    store.scheduleReplay(replay);
    schedule(replay);
    return true;
  }

  /** Schedules every replay the store holds, e.g. after a restart. */
  void restore() {
    for (PendingReplay replay : store.pendingReplays()) {
      schedule(replay);
    }
  }

  /** Fires a replay again later: its run could not be handed to the workers. */
  void retryLater(PendingReplay replay) {
    schedule(replay, Commits.GIVE_BACK_AFTER.toMillis());
  }

  void cancel(String runId) {
    ScheduledFuture<?> future = scheduled.remove(runId);
    if (future != null) {
      future.cancel(false);
    }
    store.removeReplay(runId);
  }

  int size() {
    return scheduled.size();
  }

  private void schedule(PendingReplay replay) {
    schedule(replay, Math.max(0, Duration.between(clock.instant(), replay.dueAt()).toMillis()));
  }

  private void schedule(PendingReplay replay, long delay) {
    try {
      ScheduledFuture<?> future = timer.schedule(() -> {
        scheduled.remove(replay.runId());
        try {
          fire.accept(replay);
        } catch (RuntimeException e) {
          log.error("Replay of run {} failed", replay.runId(), e);
        }
      }, delay, TimeUnit.MILLISECONDS);
      ScheduledFuture<?> earlier = scheduled.put(replay.runId(), future);
      if (earlier != null) {
        earlier.cancel(false); // one timer per run: the newer due time wins
      }
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      log.info("Replay of run {} stays pending in the store: the coordinator is stopping",
          replay.runId());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    scheduled.clear();
  }
}
