package io.angora.api;

/** Where a run is in its life. */
public enum RunStatus {
  /** Recorded and handed to the workers, not started yet. */
  QUEUED,
  /** A worker is running the command. */
  RUNNING,
  /** The command exited with code 0. */
  SUCCEEDED,
  /** The command exited with another code or could not start. */
  FAILED,
  /** The command ran past its timeout and was killed. */
  TIMED_OUT,
  /** The run was cancelled before it finished. */
  CANCELLED,
  /**
   * Recorded, not run, with the reason: e.g. {@code parent_success} held it back because a
   * parent's latest run did not succeed, or a join had already run for its parents' runs.
   */
  SKIPPED;

  /** Whether the run has finished: no further status follows. */
  public boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }
}
