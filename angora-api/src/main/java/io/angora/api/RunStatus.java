package io.angora.api;

/** Where a run is in its life. */
public enum RunStatus {
  /** Recorded and handed to the workers, not started yet. */
  QUEUED,
  /** A worker is running the command. */
  RUNNING,
  /** The command exited with code 0. */
  SUCCEEDED,
  /** The command exited with another code, could not start, or a check held it back. */
  FAILED,
  /** The command ran past its timeout and was killed. */
  TIMED_OUT,
  /** The run was cancelled before it finished. */
  CANCELLED;

  /** Whether the run has finished: no further status follows. */
  public boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }
}
