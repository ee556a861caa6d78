package io.angora.amqp.internal;

import io.angora.api.AngoraException;

/** A delivery that cannot be decoded into a message, job or job event; it is dead-lettered. */
public final class MalformedDeliveryException extends AngoraException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the delivery
   */
  public MalformedDeliveryException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong with the delivery
   * @param cause the underlying failure
   */
  public MalformedDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
