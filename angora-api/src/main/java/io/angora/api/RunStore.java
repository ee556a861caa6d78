package io.angora.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where runs, received messages and pending replays are recorded. Only the coordinator writes
 * to it; the HTTP API and tools read it.
 *
 * <p>Implementations are thread-safe. A read sees every write that returned before it (a store
 * that batches writes must still answer reads with them). A write that returned is not yet
 * durable: it is once a {@link #flush()} called after it has completed. The coordinator
 * acknowledges a delivery only then. A write may block while the store's pending writes are
 * at their bound (the store is down or slow): that is how the coordinator is held back. A
 * read while the store is down throws a {@link StoreException} promptly rather than waiting.
 * A write the store can never commit (its database refuses the row) is set aside, never
 * blocking the writes after it, and the flushes covering it report it. A store that writes in
 * the background may report how that goes through the optional {@link StoreHealth}.
 */
public interface RunStore extends AutoCloseable {

  /**
   * Records a new run. Idempotent: when a run with its id is already recorded, the recorded run
   * is left as it is (neither duplicated nor regressed), so a redelivered message whose run ids
   * are deterministic records nothing twice.
   *
   * @param run the run
   */
  void insert(Run run);

  /**
   * Replaces a recorded run by id. A run's task, workflow id and queued time are those it was
   * recorded with: a store may keep them as first written.
   *
   * @param run the run's new state
   */
  void update(Run run);

  /**
   * Looks a run up.
   *
   * @param runId the id
   * @return the run, or empty
   */
  Optional<Run> find(String runId);

  /**
   * Lists runs, newest first (greatest id first).
   *
   * @param query filters and page
   * @return one page
   */
  RunPage query(RunQuery query);

  /**
   * Every run of one workflow instance, oldest first.
   *
   * @param workflowId the workflow id
   * @return the runs; empty for an unknown workflow
   */
  List<Run> workflow(String workflowId);

  /**
   * The newest run of a task, within one workflow instance when given.
   *
   * @param task the task's name
   * @param workflowId the workflow id, or null for any
   * @return the newest run, or empty
   */
  Optional<Run> latest(String task, @Nullable String workflowId);

  /**
   * Runs not finished: {@link RunStatus#QUEUED} or {@link RunStatus#RUNNING}, oldest first.
   *
   * @return the runs
   */
  List<Run> unfinished();

  /**
   * Records a received message. Idempotent: a message whose id is already recorded is left as
   * first recorded.
   *
   * @param message the message
   */
  void recordMessage(Message message);

  /**
   * The most recently received messages, newest first.
   *
   * @param limit at most this many
   * @return the messages
   */
  List<Message> recentMessages(int limit);

  /**
   * Looks a received message up.
   *
   * @param messageId the id
   * @return the message, or empty
   */
  Optional<Message> findMessage(String messageId);

  /**
   * Records a replay to do later; replaces one for the same run.
   *
   * @param replay the replay
   */
  void scheduleReplay(PendingReplay replay);

  /**
   * Forgets a pending replay (done or no longer wanted). Idempotent.
   *
   * @param runId the failed run whose replay it was
   */
  void removeReplay(String runId);

  /**
   * Every pending replay, earliest due first.
   *
   * @return the replays
   */
  List<PendingReplay> pendingReplays();

  /**
   * The fire time a schedule last fired for, as recorded by {@link #recordFire}. Optional
   * ability: the default throws, and the engine then keeps schedule state in memory only.
   *
   * @param schedule the schedule's name
   * @return the last fire time, or empty when the schedule never fired
   * @throws UnsupportedOperationException when this store does not keep schedule state
   */
  default Optional<Instant> lastFire(String schedule) {
    throw new UnsupportedOperationException(getClass().getName()
        + " does not record schedule state");
  }

  /**
   * Records that a schedule fired for a fire time, replacing the previous one, so that a
   * restarted coordinator does not fire it again. Optional ability, as {@link #lastFire}.
   *
   * @param schedule the schedule's name
   * @param fireTime the fire time it fired for (not the moment it was sent)
   * @throws UnsupportedOperationException when this store does not keep schedule state
   */
  default void recordFire(String schedule, Instant fireTime) {
    throw new UnsupportedOperationException(getClass().getName()
        + " does not record schedule state");
  }

  /**
   * Whether a schedule was paused through {@link #setSchedulePaused}. Optional ability, as
   * {@link #lastFire}.
   *
   * @param schedule the schedule's name
   * @return true when paused; false when resumed or never paused
   * @throws UnsupportedOperationException when this store does not keep schedule state
   */
  default boolean schedulePaused(String schedule) {
    throw new UnsupportedOperationException(getClass().getName()
        + " does not record schedule state");
  }

  /**
   * Records that a schedule is paused or resumed. Optional ability, as {@link #lastFire}.
   *
   * @param schedule the schedule's name
   * @param paused true to pause, false to resume
   * @throws UnsupportedOperationException when this store does not keep schedule state
   */
  default void setSchedulePaused(String schedule, boolean paused) {
    throw new UnsupportedOperationException(getClass().getName()
        + " does not record schedule state");
  }

  /**
   * Completes once every write that returned before this call is durable (committed), or
   * exceptionally with a {@link StoreException} when one of them can never be made durable (its
   * row was refused and set aside, or the store closed first): retrying that write is then
   * pointless. While the database is merely away the future waits; it does not fail. A store
   * whose writes are durable when they return answers an already completed future. Callable
   * from any thread; dependent stages may run on the store's own thread, so keep them short.
   *
   * @return completes when the earlier writes are durable
   */
  default CompletableFuture<Void> flush() {
    return CompletableFuture.completedFuture(null);
  }

  /** Releases resources, writing out anything still buffered. Idempotent. */
  @Override
  void close();
}
