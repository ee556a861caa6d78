package io.angora.api;

import java.util.Objects;

/**
 * What a worker runs: a run of a task for a message. Carries the whole task definition, so a
 * worker needs only the transport, never the task files or the run store.
 *
 * @param runId the run this job executes
 * @param task the task to run
 * @param message the triggering message (its text and payload reach the job's environment)
 * @param attempt 1 for the first attempt, 2 for the first replay, ...
 */
public record Job(String runId, TaskDefinition task, Message message, int attempt) {

  /** Checks the fields. */
  public Job {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(message, "message");
    if (attempt < 1) {
      throw new IllegalArgumentException("job " + runId + ": attempt must be 1 or more");
    }
  }
}
