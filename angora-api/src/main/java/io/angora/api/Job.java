package io.angora.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a worker runs: a run of a task for a message. Carries the whole task definition, so a
 * worker needs only the transport, never the task files or the run store.
 *
 * @param runId the run this job executes
 * @param task the task to run
 * @param message the triggering message (its text and payload reach the job's environment)
 * @param attempt 1 for the first attempt, 2 for the first replay, ...
 * @param failed the failed run whose {@code on_failure} message triggered this job, or null; the
 *     job sees it as {@code ANGORA_FAILED_RUN_ID}, {@code ANGORA_FAILED_STATUS} and
 *     {@code ANGORA_FAILED_REASON}
 */
public record Job(String runId, TaskDefinition task, Message message, int attempt,
    @Nullable Failure failed) {

  /** Checks the fields. */
  public Job {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(message, "message");
    if (attempt < 1) {
      throw new IllegalArgumentException("job " + runId + ": attempt must be 1 or more");
    }
  }

  /**
   * A job not triggered by a failure.
   *
   * @param runId the run this job executes
   * @param task the task to run
   * @param message the triggering message
   * @param attempt 1 for the first attempt, 2 for the first replay, ...
   */
  public Job(String runId, TaskDefinition task, Message message, int attempt) {
    this(runId, task, message, attempt, null);
  }

  /**
   * The run that failed for good and sent the message of an {@code on_failure} job.
   *
   * @param runId the failed run's id
   * @param status {@link RunStatus#FAILED} or {@link RunStatus#TIMED_OUT}
   * @param reason why it failed, cut to {@link #MAX_REASON} characters; empty when none
   */
  public record Failure(String runId, RunStatus status, String reason) {
    /** The longest {@link #reason} a job sees, in characters. */
    public static final int MAX_REASON = 1_000;

    /** Checks the fields; cuts the reason and drops what an environment cannot hold (NUL). */
    public Failure {
      MessageText.checkId("failed run id", runId);
      if (status != RunStatus.FAILED && status != RunStatus.TIMED_OUT) {
        throw new IllegalArgumentException("a failed run is FAILED or TIMED_OUT, not " + status);
      }
      if (reason.length() > MAX_REASON) {
        int end = Character.isHighSurrogate(reason.charAt(MAX_REASON - 1))
            ? MAX_REASON - 1 : MAX_REASON;
        reason = reason.substring(0, end);
      }
      reason = reason.replace('\0', ' ');
    }

    /**
     * The failure of a finished run.
     *
     * @param run a FAILED or TIMED_OUT run
     * @return its failure
     */
    public static Failure of(Run run) {
      return new Failure(run.id(), run.status(), Objects.requireNonNullElse(run.reason(), ""));
    }
  }
}
