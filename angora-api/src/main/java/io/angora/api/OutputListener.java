package io.angora.api;

/**
 * Follows the output of one running job (see {@link LiveOutput#followOutput}). Called on the
 * thread that reads the job's output, one call at a time and in order: implementations must
 * be quick and must never block (hand the chunk to a bounded queue and drop, or disconnect, a
 * slow reader), and must not throw (an exception ends the following, the job goes on).
 */
@FunctionalInterface
public interface OutputListener {

  /**
   * The job wrote more output. The first calls bring the output kept so far, oldest first.
   *
   * @param chunk the bytes, of one stream
   */
  void onChunk(OutputChunk chunk);

  /**
   * The job's output is closed: its process ended (or the job ended without starting one). No
   * call follows. The run's outcome is reported separately (a {@link RunListener} sees it).
   */
  default void onEnd() {}
}
