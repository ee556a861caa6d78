package io.angora.api;

/**
 * Runs a job's command. Thread-safe: a worker calls it from as many threads as its concurrency.
 */
public interface Executor {

  /**
   * Runs the job to its end on the calling thread.
   *
   * <p>Never throws for a failure of the job itself: a command that cannot start, exits
   * non-zero, times out or is cancelled is a {@link JobEvent.JobFinished} with that status and
   * reason.
   *
   * @param job the job
   * @param worker the name of the worker running it, reported in the outcome
   * @param cancellation cancelled when the job must stop (cancel request, shutdown)
   * @return the outcome
   */
  JobEvent.JobFinished execute(Job job, String worker, Cancellation cancellation);
}
