package io.angora.api;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One attempt at running a task for one message.
 *
 * <p>Run ids sort in creation order: the newest run has the greatest id, which is what paging
 * with {@link RunQuery#before()} relies on.
 *
 * @param id unique, time-ordered id
 * @param task the task's name
 * @param message the text of the triggering message
 * @param messageId the id of the triggering message
 * @param payload the triggering message's payload, or null
 * @param workflowId the workflow instance
 * @param parentRunId the run whose success sent the triggering message, or null
 * @param attempt 1 for the first attempt, 2 for the first replay, ...
 * @param status where the run is
 * @param reason why it failed or was held back or cancelled, or null
 * @param exitCode the command's exit code, or null when it did not exit by itself
 * @param worker the worker that ran it, or null before it started
 * @param queuedAt when the run was recorded
 * @param startedAt when the command started, or null
 * @param finishedAt when the run finished, or null
 * @param output the newest part of the command's standard output and error (bounded)
 */
public record Run(
    String id,
    String task,
    String message,
    String messageId,
    @Nullable String payload,
    String workflowId,
    @Nullable String parentRunId,
    int attempt,
    RunStatus status,
    @Nullable String reason,
    @Nullable Integer exitCode,
    @Nullable String worker,
    Instant queuedAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    String output) {

  /** Checks the required fields. */
  public Run {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(queuedAt, "queuedAt");
    Objects.requireNonNull(output, "output");
    if (attempt < 1) {
      throw new IllegalArgumentException("run " + id + ": attempt must be 1 or more");
    }
  }

  /**
   * Creates a queued run of a task for a message.
   *
   * @param id the run's id
   * @param task the task's name
   * @param message the triggering message
   * @param attempt the attempt number, 1 for the first
   * @param at when it is queued
   * @return a run in status {@link RunStatus#QUEUED}
   */
  public static Run queued(String id, String task, Message message, int attempt, Instant at) {
    return new Run(id, task, message.text(), message.id(), message.payload(),
        message.workflowId(), message.parentRunId(), attempt, RunStatus.QUEUED, null, null, null,
        at, null, null, "");
  }

  /**
   * Returns this run as started by a worker.
   *
   * @param byWorker the worker's name
   * @param at when the command started
   * @return a copy in status {@link RunStatus#RUNNING}
   */
  public Run started(String byWorker, Instant at) {
    return new Run(id, task, message, messageId, payload, workflowId, parentRunId, attempt,
        RunStatus.RUNNING, null, null, byWorker, queuedAt, at, null, output);
  }

  /**
   * Returns this run as finished.
   *
   * @param finalStatus a final status
   * @param code the exit code, or null
   * @param why the reason, or null
   * @param tail the output tail
   * @param at when it finished
   * @return a finished copy
   */
  public Run finished(RunStatus finalStatus, @Nullable Integer code, @Nullable String why,
      String tail, Instant at) {
    if (!finalStatus.isFinal()) {
      throw new IllegalArgumentException("run " + id + ": " + finalStatus + " is not final");
    }
    return new Run(id, task, message, messageId, payload, workflowId, parentRunId, attempt,
        finalStatus, why, code, worker, queuedAt, startedAt, at, tail);
  }

  /**
   * Returns the message this run was triggered by, as sent.
   *
   * @param sentAt when the message was sent (not kept on the run)
   * @return the message, aimed at this run's task
   */
  public Message triggeringMessage(Instant sentAt) {
    return new Message(messageId, message, payload, workflowId, parentRunId, null, sentAt);
  }
}
