package io.angora.engine.internal.process;

/** A job's command could not be started; the message says why and names the program. */
final class CannotStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CannotStartException(String message) {
    super(message);
  }
}
