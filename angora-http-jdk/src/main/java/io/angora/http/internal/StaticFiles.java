package io.angora.http.internal;

import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The web UI's files, read once from this module's resources. Only these fixed names are served:
 * no part of a request ever becomes a resource path. Immutable, thread-safe.
 */
public final class StaticFiles {
  private static final String ROOT = "/io/angora/http/ui/";
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8",
      "favicon.svg", "image/svg+xml");

  private final List<HttpRoute> routes = new ArrayList<>();

  /** Reads the files. */
  public StaticFiles() {
    FILES.forEach((name, type) -> {
      HttpReply reply = HttpReply.bytes(200, type, read(name))
          .withHeader("Cache-Control", "no-cache");
      routes.add(HttpRoute.get("/" + name, call -> reply));
      if (name.equals("index.html")) {
        routes.add(HttpRoute.get("/", call -> reply));
      }
    });
  }

  /** The routes serving the files. */
  public List<HttpRoute> routes() {
    return List.copyOf(routes);
  }

  private static byte[] read(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("web UI file missing from the jar: " + ROOT + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read web UI file " + ROOT + name, e);
    }
  }
}
