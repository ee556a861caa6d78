package io.angora.api;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where runs, received messages and pending replays are recorded. Only the coordinator writes
 * to it; the HTTP API and tools read it.
 *
 * <p>Implementations are thread-safe. A read sees every write that returned before it (a store
 * that batches writes must still answer reads with them).
 */
public interface RunStore extends AutoCloseable {

  /**
   * Records a new run.
   *
   * @param run the run; its id is new
   */
  void insert(Run run);

  /**
   * Replaces a recorded run by id.
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
   * Records a received message.
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

  /** Releases resources, writing out anything still buffered. Idempotent. */
  @Override
  void close();
}
