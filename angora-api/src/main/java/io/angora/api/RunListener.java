package io.angora.api;

/**
 * Observes the coordinator: runs as they change and messages as they arrive. Called on the
 * coordinator's threads after the change is recorded; implementations must be quick and
 * thread-safe, and must not throw (an exception is logged and ignored).
 */
public interface RunListener {

  /**
   * A run was recorded or changed status.
   *
   * @param run the run as recorded now
   */
  default void onRun(Run run) {}

  /**
   * A message was received and recorded.
   *
   * @param message the message
   */
  default void onMessage(Message message) {}
}
