package io.angora.api;

/** A transport could not accept, deliver or acknowledge something (broker down, queue closed). */
public final class TransportException extends AngoraException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what could not be done, naming the queue or broker
   */
  public TransportException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what could not be done, naming the queue or broker
   * @param cause the underlying failure
   */
  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
