package io.angora.api;

/** The root of every exception Angora throws; unchecked. */
public class AngoraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names what is concerned (a file, task, queue, run).
   *
   * @param message what went wrong and where
   */
  public AngoraException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and its cause.
   *
   * @param message what went wrong and where
   * @param cause the underlying failure
   */
  public AngoraException(String message, Throwable cause) {
    super(message, cause);
  }
}
