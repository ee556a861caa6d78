package io.angora.http.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.angora.api.NotFoundException;
import io.angora.api.StoreException;
import io.angora.api.TaskLoadException;
import io.angora.api.TransportException;
import io.angora.http.HttpCall;
import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every exchange: the browser-origin checks, CORS, the token check, the body limit,
 * routing, admission (at most so many handled at once, else 503), mapping exceptions to JSON
 * errors (never a stack trace) and the security headers. Thread-safe.
 */
public final class Dispatcher implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Paths answered without a token: the UI's files hold no data, health is for probes. */
  private static final Set<String> OPEN_PATHS = open();

  private final Router router;
  private final Auth auth;
  private final int maxBodyBytes;
  private final BrowserOrigin origins;
  private final Admission admission;

  /**
   * Creates the dispatcher.
   *
   * @param router the routes
   * @param auth the token check
   * @param maxBodyBytes the body limit
   * @param origins the Host and Origin checks, and which origins get CORS headers
   * @param admission how many requests are handled at once
   */
  public Dispatcher(Router router, Auth auth, int maxBodyBytes, BrowserOrigin origins,
      Admission admission) {
    this.router = router;
    this.auth = auth;
    this.maxBodyBytes = maxBodyBytes;
    this.origins = origins;
    this.admission = admission;
  }

  private static Set<String> open() {
    Set<String> paths = new java.util.HashSet<>(StaticFiles.PATHS);
    paths.add("/");
    paths.add("/health");
    return Set.copyOf(paths);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    HttpReply reply;
    try {
      reply = answer(exchange, method, path == null ? "/" : path);
    } catch (RuntimeException e) {
      reply = errorReply(method, path, e);
    }
    try {
      send(exchange, method, reply);
    } catch (IOException e) {
      log.debug("Client went away before the answer to {} {} was sent: {}", method, path,
          e.getMessage());
      exchange.close();
      // Thrown on, so that the JDK server forgets the connection: a failed answer it does not
      // hear of leaves the connection counted against jdk.httpserver.maxConnections forever.
      throw e;
    }
    exchange.close();
  }

  private HttpReply answer(HttpExchange exchange, String method, String path) {
    Headers in = exchange.getRequestHeaders();
    Optional<HttpReply> refusal = origins.refusal(method, in.getFirst("Host"),
        in.getFirst("Origin"), in.getFirst("Sec-Fetch-Site"));
    if (refusal.isPresent()) {
      return refusal.get();
    }
    if (method.equals("OPTIONS") && origins.allowsCors(in.getFirst("Origin"))) {
      return HttpReply.bytes(204, "text/plain", new byte[0])
          .withHeader("Access-Control-Allow-Methods", "GET, POST")
          .withHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
          .withHeader("Access-Control-Max-Age", "600");
    }
    if (!OPEN_PATHS.contains(path) && !auth.accepts(in.getFirst("Authorization"))) {
      return HttpReply.json(401, Map.of("error", "missing or wrong bearer token"))
          .withHeader("WWW-Authenticate", "Bearer realm=\"angora\"");
    }
    List<String> segments = new ArrayList<>();
    for (String raw : Router.split(path)) {
      segments.add(Router.decodeSegment(raw));
    }
    Router.Match match = router.match(method, segments);
    if (match instanceof Router.WrongMethod wrong) {
      return HttpReply.json(405, Map.of("error", "method " + method + " not allowed on " + path
          + "; allowed: " + wrong.allowed())).withHeader("Allow", wrong.allowed());
    }
    if (!(match instanceof Router.Found found)) {
      return HttpReply.json(404, Map.of("error", "no such endpoint: " + path));
    }
    byte[] body;
    try {
      body = BoundedBody.read(in.getFirst("Content-Length"), exchange.getRequestBody(),
          maxBodyBytes);
    } catch (IOException e) {
      throw new HttpException(400, "request body could not be read");
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    in.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    HttpCall call = new HttpCall(method, path, found.params(),
        Bodies.decodeForm(rawQuery == null ? "" : rawQuery), headers, body);
    HttpRoute route = found.route();
    // The body is read before a place is taken: a slow client holds no place.
    if (!admission.enter()) {
      return HttpReply.json(503, Map.of("error", "server busy: too many requests at once;"
          + " try again")).withHeader("Retry-After", "1");
    }
    try {
      return route.handler().handle(call);
    } finally {
      admission.leave();
    }
  }

  static HttpReply errorReply(String method, @Nullable String path, RuntimeException e) {
    if (e instanceof HttpException he) {
      return HttpReply.json(he.status(), Map.of("error", he.getMessage()));
    }
    if (e instanceof TaskLoadException tle) {
      List<Map<String, Object>> errors = tle.errors().stream().map(Views::taskError).toList();
      return HttpReply.json(422, Map.of("error", errors.size() + " error(s) in tasks; the tasks"
          + " in force are kept", "errors", errors));
    }
    if (e instanceof NotFoundException) {
      return HttpReply.json(404, Map.of("error", e.getMessage()));
    }
    if (e instanceof TransportException) {
      log.warn("{} {}: transport refused: {}", method, path, e.getMessage());
      return HttpReply.json(503, Map.of("error", "transport unavailable: " + e.getMessage()));
    }
    if (e instanceof StoreException) {
      log.warn("{} {}: run store failed", method, path, e);
      return HttpReply.json(503, Map.of("error", "run store unavailable"));
    }
    if (e instanceof IllegalArgumentException) {
      return HttpReply.json(400, Map.of("error", String.valueOf(e.getMessage())));
    }
    if (e instanceof IllegalStateException) {
      return HttpReply.json(409, Map.of("error", String.valueOf(e.getMessage())));
    }
    log.error("{} {} failed", method, path, e);
    return HttpReply.json(500, Map.of("error", "internal error; see the server log"));
  }

  private void send(HttpExchange exchange, String method, HttpReply reply) throws IOException {
    byte[] bytes;
    String contentType;
    int status = reply.status();
    HttpReply.Streamed streamed = reply.body() instanceof HttpReply.Streamed s ? s : null;
    if (streamed != null) {
      bytes = new byte[0];
      contentType = reply.headers().getOrDefault("Content-Type", "application/octet-stream");
    } else if (reply.body() instanceof byte[] raw) {
      bytes = raw;
      contentType = reply.headers().getOrDefault("Content-Type", "application/octet-stream");
    } else {
      contentType = "application/json; charset=utf-8";
      try {
        bytes = Json.write(reply.body());
      } catch (IllegalStateException e) {
        log.error("{} {}: answer could not be written as JSON", method,
            exchange.getRequestURI().getRawPath(), e);
        bytes = "{\"error\":\"internal error; see the server log\"}".getBytes(
            java.nio.charset.StandardCharsets.UTF_8);
        status = 500;
      }
    }
    Headers out = exchange.getResponseHeaders();
    reply.headers().forEach(out::set);
    out.set("Content-Type", contentType);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("Referrer-Policy", "no-referrer");
    out.set("X-Frame-Options", "DENY");
    if (contentType.startsWith("text/html")) {
      out.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
          + "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    }
    if (!out.containsKey("Cache-Control")) {
      out.set("Cache-Control", "no-store");
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origins.allowsCors(origin)) {
      out.set("Access-Control-Allow-Origin", origin);
      out.set("Vary", "Origin");
    }
    if (streamed != null && !method.equals("HEAD")) {
      // Length 0: chunked, written until the writer returns or the client goes away.
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream body = exchange.getResponseBody()) {
        streamed.writeTo(body);
      }
      return;
    }
    boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
    exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length == 0 ? -1
        : bytes.length);
    if (!noBody && bytes.length > 0) {
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(bytes);
      }
    }
  }
}
