package io.angora.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: a status, extra headers, and a body that is either raw bytes (with a
 * {@code Content-Type} header) or any value written as JSON (maps, lists, strings, numbers,
 * records; instants and durations as ISO-8601 strings). Immutable.
 *
 * @param status the HTTP status
 * @param headers extra response headers
 * @param body a {@code byte[]} sent as is, or a value sent as JSON
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
