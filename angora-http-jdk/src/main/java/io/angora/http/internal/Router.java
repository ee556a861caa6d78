package io.angora.http.internal;

import io.angora.http.HttpRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the route for a method and path. A literal segment beats a placeholder; a later route
 * with the same method and pattern replaces an earlier one. Immutable after construction,
 * thread-safe.
 */
public final class Router {
  private final List<HttpRoute> routes;

  /**
   * Creates a router.
   *
   * @param routes the routes, later ones replacing earlier ones with the same method and pattern
   */
  public Router(List<HttpRoute> routes) {
    Map<String, HttpRoute> unique = new LinkedHashMap<>();
    for (HttpRoute r : routes) {
      unique.put(r.method() + " " + r.pattern(), r);
    }
    this.routes = List.copyOf(unique.values());
  }

  /** The result of a look-up. */
  public sealed interface Match {}

  /**
   * A route answers.
   *
   * @param route the route
   * @param params the decoded placeholder values
   */
  public record Found(HttpRoute route, Map<String, String> params) implements Match {}

  /**
   * The path exists with other methods only.
   *
   * @param allowed the methods it has, comma-separated
   */
  public record WrongMethod(String allowed) implements Match {}

  /** No route has this path. */
  public record NotFound() implements Match {}

  /**
   * Looks a request up.
   *
   * @param method the HTTP method
   * @param segments the path's segments, percent-decoded
   * @return what answers
   */
  public Match match(String method, List<String> segments) {
    Found best = null;
    int bestScore = -1;
    TreeSet<String> allowed = new TreeSet<>();
    for (HttpRoute route : routes) {
      Optional<Map<String, String>> params = bind(route.pattern(), segments);
      if (params.isEmpty()) {
        continue;
      }
      allowed.add(route.method());
      if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
        int score = literalScore(route.pattern());
        if (score > bestScore) {
          best = new Found(route, params.get());
          bestScore = score;
        }
      }
    }
    if (best != null) {
      return best;
    }
    return allowed.isEmpty() ? new NotFound() : new WrongMethod(String.join(", ", allowed));
  }

  private static Optional<Map<String, String>> bind(String pattern, List<String> segments) {
    List<String> parts = split(pattern);
    if (parts.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (part.startsWith("{") && part.endsWith("}")) {
        if (segments.get(i).isEmpty()) {
          return Optional.empty();
        }
        params.put(part.substring(1, part.length() - 1), segments.get(i));
      } else if (!part.equals(segments.get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  // Literal segments weigh more the earlier they come, so /api/tasks/reload beats /api/tasks/{name}.
  private static int literalScore(String pattern) {
    int score = 0;
    for (String part : split(pattern)) {
      score = score * 2 + (part.startsWith("{") ? 0 : 1);
    }
    return score;
  }

  /**
   * Splits a path into segments: {@code /} is no segment, {@code /a/b} is two.
   *
   * @param path the path
   * @return the segments, not decoded
   */
  public static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.isEmpty()) {
      return out;
    }
    for (String s : trimmed.split("/", -1)) {
      out.add(s);
    }
    return out;
  }

  /**
   * Percent-decodes one path segment; unlike form decoding, {@code +} stays a plus.
   *
   * @param raw the segment as sent
   * @return the decoded segment
   * @throws io.angora.http.HttpException 400 for a malformed escape
   */
  public static String decodeSegment(String raw) {
    try {
      return java.net.URLDecoder.decode(raw.replace("+", "%2B"),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new io.angora.http.HttpException(400, "malformed percent-encoding in path");
    }
  }
}
