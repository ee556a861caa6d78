package io.angora.jdbc.internal;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Writes accepted but not yet committed: the writer's queue and the overlay that reads merge
 * into database results (read-your-writes). Several writes to one run or one replay keep only
 * the newest state; each kind is written oldest first.
 *
 * <p>Thread-safe: one lock guards everything; reads copy what they need under it. Reads take
 * what they merge before they query the database: a write committed in between is then seen in
 * one or both, and merging by id keeps the pending (newer or equal) state.
 */
public final class PendingWrites {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Signalled only by {@link #close}, so new writes do not cut a retry backoff short. */
  private final Condition closed = lock.newCondition();
  private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>();
  private final LinkedHashMap<String, Message> messages = new LinkedHashMap<>();
  /** Per run id: the replay to schedule, or empty to remove it. */
  private final LinkedHashMap<String, Optional<PendingReplay>> replays = new LinkedHashMap<>();
  private boolean closing;

  /**
   * A set of writes taken for one transaction.
   *
   * @param runs runs to upsert
   * @param messages messages to record, oldest first
   * @param replays per run id, the replay to upsert or empty to delete
   */
  public record Batch(List<Run> runs, List<Message> messages,
      Map<String, Optional<PendingReplay>> replays) {
    /**
     * How many writes the batch holds.
     *
     * @return the count
     */
    public int size() {
      return runs.size() + messages.size() + replays.size();
    }
  }

  /**
   * Accepts a run's new state.
   *
   * @param run the run
   */
  public void putRun(Run run) {
    change(() -> runs.put(run.id(), run));
  }

  /**
   * Accepts a received message; a message already pending is kept as first recorded.
   *
   * @param message the message
   */
  public void putMessage(Message message) {
    change(() -> messages.putIfAbsent(message.id(), message));
  }

  /**
   * Accepts a replay change.
   *
   * @param runId the run whose replay it is
   * @param replay the replay, or null to remove it
   */
  public void putReplay(String runId, @Nullable PendingReplay replay) {
    change(() -> replays.put(runId, Optional.ofNullable(replay)));
  }

  private void change(Runnable action) {
    lock.lock();
    try {
      action.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending state of a run.
   *
   * @param runId the run's id
   * @return the run, or null when none is pending
   */
  public @Nullable Run run(String runId) {
    lock.lock();
    try {
      return runs.get(runId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending runs a read must merge.
   *
   * @param filter which runs
   * @return copies of the matching runs, by id
   */
  public Map<String, Run> runs(Predicate<Run> filter) {
    lock.lock();
    try {
      Map<String, Run> matching = new HashMap<>();
      for (Run run : runs.values()) {
        if (filter.test(run)) {
          matching.put(run.id(), run);
        }
      }
      return matching;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending messages.
   *
   * @return a copy, oldest first
   */
  public List<Message> messages() {
    lock.lock();
    try {
      return messages.isEmpty() ? List.of() : new ArrayList<>(messages.values());
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending replay changes.
   *
   * @return a copy: per run id, the replay to schedule or empty to remove it
   */
  public Map<String, Optional<PendingReplay>> replays() {
    lock.lock();
    try {
      return replays.isEmpty() ? Map.of() : new LinkedHashMap<>(replays);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for writes, lingers up to {@code linger} so more join the batch, and takes up to
   * {@code max} writes of each kind, oldest first. They stay pending (visible to reads) until
   * {@link #written}.
   *
   * @param max the largest number of writes of each kind
   * @param linger how long to wait for more after the first
   * @return the batch, or null once closing with nothing pending
   * @throws InterruptedException if interrupted while waiting
   */
  public @Nullable Batch take(int max, Duration linger) throws InterruptedException {
    lock.lock();
    try {
      while (size() == 0) {
        if (closing) {
          return null;
        }
        changed.await();
      }
      long deadline = System.nanoTime() + linger.toNanos();
      while (!closing && size() < max) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        changed.awaitNanos(left);
      }
      return new Batch(first(runs.values(), max), first(messages.values(), max),
          firstEntries(replays, max));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forgets the writes of a committed batch, except those replaced since it was taken.
   *
   * @param batch the committed batch
   */
  public void written(Batch batch) {
    change(() -> {
      batch.runs().forEach(run -> runs.remove(run.id(), run));
      batch.messages().forEach(message -> messages.remove(message.id(), message));
      batch.replays().forEach(replays::remove);
    });
  }

  /**
   * Waits until nothing is pending.
   *
   * @param timeout the longest wait
   * @return whether nothing is pending
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (size() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to a time, or until {@link #close} is called; the writer's pause between retries.
   *
   * @param pause how long
   * @throws InterruptedException if interrupted while waiting
   */
  public void pause(Duration pause) throws InterruptedException {
    lock.lock();
    try {
      closed.await(pause.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      lock.unlock();
    }
  }

  /** Tells {@link #take} to return null once nothing is left, and wakes waiting threads. */
  public void close() {
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
      closed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many writes are pending.
   *
   * @return the count
   */
  public int size() {
    lock.lock();
    try {
      return runs.size() + messages.size() + replays.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The ids of up to {@code max} pending runs, for error messages.
   *
   * @param max how many at most
   * @return the ids
   */
  public List<String> runIds(int max) {
    lock.lock();
    try {
      return first(runs.keySet(), max);
    } finally {
      lock.unlock();
    }
  }

  private static <T> List<T> first(Iterable<T> values, int max) {
    List<T> taken = new ArrayList<>();
    for (T value : values) {
      if (taken.size() == max) {
        break;
      }
      taken.add(value);
    }
    return taken;
  }

  private static <K, V> Map<K, V> firstEntries(Map<K, V> map, int max) {
    Map<K, V> taken = new LinkedHashMap<>();
    for (Map.Entry<K, V> entry : map.entrySet()) {
      if (taken.size() == max) {
        break;
      }
      taken.put(entry.getKey(), entry.getValue());
    }
    return taken;
  }
}
