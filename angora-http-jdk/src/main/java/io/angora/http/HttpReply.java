package io.angora.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: a status, extra headers, and a body that is either raw bytes (with a
 * {@code Content-Type} header), a {@link Streamed} body written while the client reads (for
 * server-sent events and log tails), or any value written as JSON (maps, lists, strings,
 * numbers, records; instants and durations as ISO-8601 strings). Immutable.
 *
 * @param status the HTTP status
 * @param headers extra response headers
 * @param body a {@code byte[]} sent as is, a {@link Streamed} body, or a value sent as JSON
 */
public record HttpReply(int status, Map<String, String> headers, Object body) {

  /** Copies the headers. */
  public HttpReply {
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /**
   * A JSON reply.
   *
   * @param status the status
   * @param value written as JSON
   * @return the reply
   */
  public static HttpReply json(int status, Object value) {
    return new HttpReply(status, Map.of(), value);
  }

  /**
   * A {@code 200} JSON reply.
   *
   * @param value written as JSON
   * @return the reply
   */
  public static HttpReply ok(Object value) {
    return json(200, value);
  }

  /**
   * A UTF-8 plain-text reply.
   *
   * @param status the status
   * @param text the text
   * @return the reply
   */
  public static HttpReply text(int status, String text) {
    return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A reply with raw bytes.
   *
   * @param status the status
   * @param contentType the media type
   * @param content the bytes
   * @return the reply
   */
  public static HttpReply bytes(int status, String contentType, byte[] content) {
    return new HttpReply(status, Map.of("Content-Type", contentType), content.clone());
  }

  /**
   * A reply whose body is written bit by bit, chunked, on the request's thread, until the
   * writer returns or the client goes away; for server-sent events and following a log.
   *
   * @param contentType the media type
   * @param writer writes the body
   * @return the reply
   */
  public static HttpReply stream(String contentType, Streamed writer) {
    return new HttpReply(200, Map.of("Content-Type", contentType), writer);
  }

  /** A body written while the client reads it. */
  @FunctionalInterface
  public interface Streamed {
    /**
     * Writes the body, flushing whenever the client should see what was written.
     *
     * @param out the response body; closed by the server afterwards
     * @throws java.io.IOException when the client went away
     */
    void writeTo(java.io.OutputStream out) throws java.io.IOException;
  }

  /**
   * Returns a copy with one more header.
   *
   * @param name the header name
   * @param value its value
   * @return the copy
   */
  public HttpReply withHeader(String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return new HttpReply(status, all, body);
  }
}
