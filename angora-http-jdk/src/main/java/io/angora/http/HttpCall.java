package io.angora.http;

import io.angora.http.internal.Bodies;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request as a route handler sees it: method, decoded path parameters, query parameters,
 * headers and the body (already read, within the size limit). Immutable.
 */
public final class HttpCall {
  private final String method;
  private final String path;
  private final Map<String, String> pathParams;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  /**
   * Creates a call; the server does this for every request.
   *
   * @param method the HTTP method, upper case
   * @param path the raw request path
   * @param pathParams placeholder values, percent-decoded
   * @param query query parameters, decoded
   * @param headers request headers, names in lower case
   * @param body the request body
   */
  public HttpCall(String method, String path, Map<String, String> pathParams,
      Map<String, List<String>> query, Map<String, List<String>> headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.pathParams = Map.copyOf(pathParams);
    this.query = Map.copyOf(query);
    this.headers = Map.copyOf(headers);
    this.body = body.clone();
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The raw request path, as sent. */
  public String path() {
    return path;
  }

  /**
   * A path placeholder's value.
   *
   * @param name the placeholder's name, e.g. {@code id} for {@code {id}}
   * @return the decoded value
   * @throws IllegalArgumentException when the route has no such placeholder
   */
  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("route has no path parameter '" + name + "'");
    }
    return value;
  }

  /**
   * A query parameter's first value.
   *
   * @param name the parameter
   * @return the value, or empty when absent or empty
   */
  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty()
        ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * A request header's first value.
   *
   * @param name the header, any case
   * @return the value, or null
   */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body's bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The body's fields: a form ({@code application/x-www-form-urlencoded}, also assumed when no
   * content type is given) or a JSON object whose values are strings, numbers, booleans or null.
   * An empty body has no fields.
   *
   * @return field name to value; null JSON values are left out
   * @throws HttpException 400 for a malformed body, 415 for another content type
   */
  public Map<String, String> fields() {
    return Bodies.fields(header("Content-Type"), body);
  }
}
