package io.angora.api;

/**
 * Observes the coordinator: runs as they change and messages as they arrive. Called on the
 * coordinator's threads after the change is recorded; implementations must be quick and
 * thread-safe, and must not throw (an exception is logged and ignored).
 *
 * <p>A run is reported at each status it enters: {@link RunStatus#QUEUED} when recorded,
 * {@link RunStatus#RUNNING} when a worker starts it, then once more with its final status
 * ({@link RunStatus#isFinal()}); a run that is recorded already final (e.g.
 * {@link RunStatus#SKIPPED}) is reported once. A functional interface, so a lambda can
 * listen to runs: {@code angora.addListener(run -> System.out.println(run.status()))}.
 */
@FunctionalInterface
public interface RunListener {

  /**
   * A run was recorded or changed status.
   *
   * @param run the run as recorded now
   */
  void onRun(Run run);

  /**
   * A message was received and recorded.
   *
   * @param message the message
   */
  default void onMessage(Message message) {}
}
