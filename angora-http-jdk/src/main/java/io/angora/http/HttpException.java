package io.angora.http;

import io.angora.api.AngoraException;

/**
 * Ends a request with an error status and a message shown to the client as
 * {@code {"error": message}}; the message must not leak internals. Thrown by route handlers.
 */
public final class HttpException extends AngoraException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the HTTP status, 400 to 599
   * @param message what is wrong, for the client
   */
  public HttpException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
