package io.angora.api;

import java.util.Optional;

/**
 * An optional ability of an {@link Executor}: the output of the jobs it is running, while they
 * run. An executor that has it implements this interface too; {@code ProcessExecutor} does.
 *
 * <p>What is kept is bounded (the executor's output tail: the newest bytes of each job, both
 * streams together); a job nobody follows costs nothing more than its tail. Once a job ends,
 * its output is the run's recorded output ({@link Run#output()}), no longer live output.
 * Thread-safe.
 */
public interface LiveOutput {

  /**
   * The output a job running on this executor has produced so far.
   *
   * @param runId the run
   * @return its kept output; empty when this executor is not running that run (not started
   *     yet, already finished, or running elsewhere)
   */
  Optional<OutputSnapshot> liveOutput(String runId);

  /**
   * Follows a running job's output: the listener gets the output kept so far, then every new
   * chunk as the job writes it, then {@link OutputListener#onEnd()} when the job's output
   * closes; nothing is missed between the two, nothing comes twice.
   *
   * @param runId the run
   * @param listener called on the thread reading the job's output; must not block
   * @return closing it stops the calls; empty when this executor is not running that run
   */
  Optional<Subscription> followOutput(String runId, OutputListener listener);
}
