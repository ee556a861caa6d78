package io.angora.http;

import java.util.Locale;
import java.util.Objects;

/**
 * One endpoint: an HTTP method, a path pattern and what answers it. Patterns are literal
 * segments and {@code {name}} placeholders matching one whole path segment, e.g.
 * {@code /api/runs/{id}/log}; a literal segment wins over a placeholder.
 *
 * <p>Extensions add routes with
 * {@link AngoraHttpServer#start(io.angora.engine.Angora, HttpOptions, java.util.List)}; an extra
 * route with the same method and pattern as a built-in one replaces it (that is how a scheduler
 * serves {@code GET /api/schedules}). Immutable.
 *
 * @param method the HTTP method, upper case ({@code GET}, {@code POST}, ...)
 * @param pattern the path pattern, starting with {@code /}
 * @param handler answers matching calls; it runs on the server's request threads and must be
 *     thread-safe
 */
public record HttpRoute(String method, String pattern, Handler handler) {

  /** Checks and normalizes the method and pattern. */
  public HttpRoute {
    Objects.requireNonNull(handler, "handler");
    method = method.toUpperCase(Locale.ROOT);
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
    }
  }

  /**
   * A {@code GET} route.
   *
   * @param pattern the path pattern
   * @param handler what answers
   * @return the route
   */
  public static HttpRoute get(String pattern, Handler handler) {
    return new HttpRoute("GET", pattern, handler);
  }

  /**
   * A {@code POST} route.
   *
   * @param pattern the path pattern
   * @param handler what answers
   * @return the route
   */
  public static HttpRoute post(String pattern, Handler handler) {
    return new HttpRoute("POST", pattern, handler);
  }

  /** Answers one call; must be thread-safe. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Answers a call.
     *
     * @param call the request
     * @return the reply
     * @throws HttpException for an answer with an error status; other exceptions are mapped
     *     (unknown thing: 404, bad argument: 400, transport down: 503, anything else: 500
     *     without details)
     */
    HttpReply handle(HttpCall call);
  }
}
