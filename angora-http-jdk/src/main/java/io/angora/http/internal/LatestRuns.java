package io.angora.http.internal;

import io.angora.api.Run;
import io.angora.api.RunListener;
import io.angora.api.RunStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The newest run of each task, kept up to date from the engine's run events, so that listing
 * the tasks costs no store query per task: a task's newest run is read from the store once,
 * the first time it is asked for, and followed from the events afterwards. Thread-safe.
 */
public final class LatestRuns implements RunListener {
  private final RunStore store;
  private final ConcurrentMap<String, Optional<Run>> latest = new ConcurrentHashMap<>();

  /**
   * Creates the cache; register it as a listener before serving.
   *
   * @param store read once per task
   */
  public LatestRuns(RunStore store) {
    this.store = store;
  }

  @Override
  public void onRun(Run run) {
    latest.merge(run.task(), Optional.of(run), (old, now) ->
        old.isEmpty() || old.get().id().compareTo(run.id()) <= 0 ? now : old);
  }

  /**
   * A task's newest run.
   *
   * @param task the task's name
   * @return the run, or empty when it never ran
   */
  public Optional<Run> of(String task) {
    Optional<Run> known = latest.get(task);
    if (known != null) {
      return known;
    }
    Optional<Run> stored = store.latest(task, null);
    // An event may have come in meanwhile: the newer of the two stays.
    stored.ifPresentOrElse(this::onRun, () -> latest.putIfAbsent(task, Optional.empty()));
    return latest.get(task);
  }
}
