package io.angora.http.internal;

import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The web UI's files, read once from this module's resources. Only these fixed names are served:
 * no part of a request ever becomes a resource path. Immutable, thread-safe.
 */
public final class StaticFiles {
  private static final String ROOT = "/io/angora/http/ui/";
  private static final String JS = "text/javascript; charset=utf-8";
  /** URL path to resource path and media type. */
  private static final Map<String, String[]> FILES = Map.of(
      "/index.html", new String[] {ROOT + "index.html", "text/html; charset=utf-8"},
      "/app.js", new String[] {ROOT + "app.js", JS},
      "/api.js", new String[] {ROOT + "api.js", JS},
      "/dom.js", new String[] {ROOT + "dom.js", JS},
      "/pages.js", new String[] {ROOT + "pages.js", JS},
      "/graph.js", new String[] {ROOT + "graph.js", JS},
      "/explain.js", new String[] {ROOT + "explain.js", JS},
      "/app.css", new String[] {ROOT + "app.css", "text/css; charset=utf-8"},
      "/favicon.svg", new String[] {ROOT + "favicon.svg", "image/svg+xml"},
      "/vendor/dagre.min.js", new String[] {"/META-INF/resources/webjars/dagre/"
          + webJarVersion("dagre") + "/dist/dagre.min.js", JS});

  /** The paths served, open without a token: the UI's files hold no data. */
  public static final Set<String> PATHS = Set.copyOf(FILES.keySet());

  private final List<HttpRoute> routes = new ArrayList<>();

  /** Reads the files. */
  public StaticFiles() {
    FILES.forEach((path, file) -> {
      HttpReply reply = HttpReply.bytes(200, file[1], read(file[0]))
          .withHeader("Cache-Control", "no-cache");
      routes.add(HttpRoute.get(path, call -> reply));
      if (path.equals("/index.html")) {
        routes.add(HttpRoute.get("/", call -> reply));
      }
    });
  }

  /** The routes serving the files. */
  public List<HttpRoute> routes() {
    return List.copyOf(routes);
  }

  /** A WebJar's version, from the Maven properties its jar carries. */
  private static String webJarVersion(String artifact) {
    String resource = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    java.util.Properties properties = new java.util.Properties();
    try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("WebJar " + artifact + " missing from the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return properties.getProperty("version");
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("web UI file missing from the class path: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read web UI file " + resource, e);
    }
  }
}
