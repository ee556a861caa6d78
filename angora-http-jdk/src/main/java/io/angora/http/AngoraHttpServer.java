package io.angora.http;

import com.sun.net.httpserver.HttpServer;
import io.angora.api.AngoraException;
import io.angora.engine.Angora;
import io.angora.http.internal.Auth;
import io.angora.http.internal.Dispatcher;
import io.angora.http.internal.LogFiles;
import io.angora.http.internal.Metrics;
import io.angora.http.internal.Router;
import io.angora.http.internal.RunEndpoints;
import io.angora.http.internal.ScheduleEndpoints;
import io.angora.http.internal.SendEndpoint;
import io.angora.http.internal.StaticFiles;
import io.angora.http.internal.StatusEndpoints;
import io.angora.http.internal.TaskEndpoints;
import io.angora.http.internal.WorkflowEndpoints;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Angora web API and web UI for one {@link Angora}, on the JDK's HTTP server.
 *
 * <pre>{@code
 * try (AngoraHttpServer http = AngoraHttpServer.start(angora, HttpOptions.defaults())) {
 *   System.out.println("Angora UI on " + http.url());
 *   ...
 * }
 * }</pre>
 *
 * <p>Requests are handled by a bounded pool of threads named {@code angora-http-N}. Closing
 * stops accepting, lets requests in progress finish for {@link HttpOptions#drain()}, then stops
 * the threads; it does not close the {@link Angora}. Thread-safe.
 */
public final class AngoraHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AngoraHttpServer.class);

  private final HttpServer server;
  private final ThreadPoolExecutor threads;
  private final Angora angora;
  private final Metrics metrics;
  private final HttpOptions options;
  private final int port;
  private final AtomicInteger closed = new AtomicInteger();

  private AngoraHttpServer(HttpServer server, ThreadPoolExecutor threads, Angora angora,
      Metrics metrics, HttpOptions options) {
    this.server = server;
    this.threads = threads;
    this.angora = angora;
    this.metrics = metrics;
    this.options = options;
    this.port = server.getAddress().getPort();
  }

  /**
   * Starts serving the API and UI.
   *
   * @param angora the engine to serve; its coordinator answers about tasks and runs
   * @param options address, port, token and limits
   * @return the running server
   * @throws AngoraException when the address is not a loopback one and no token is set, or the
   *     port cannot be bound
   */
  public static AngoraHttpServer start(Angora angora, HttpOptions options) {
    return start(angora, options, List.of());
  }

  /**
   * Starts serving the API and UI with extra routes, e.g. an application's own endpoints. An
   * extra route with the method and pattern of a built-in one replaces it.
   * Extra routes get the same token check, limits and error handling as the built-in ones.
   *
   * @param angora the engine to serve
   * @param options address, port, token and limits
   * @param extraRoutes routes added after the built-in ones
   * @return the running server
   * @throws AngoraException when the address is not a loopback one and no token is set, or the
   *     port cannot be bound
   */
  public static AngoraHttpServer start(Angora angora, HttpOptions options,
      List<HttpRoute> extraRoutes) {
    InetAddress address = options.bindAddress();
    if (!address.isLoopbackAddress() && options.token() == null) {
      throw new AngoraException("refusing to serve the Angora API on " + address.getHostAddress()
          + " without a token: set a bearer token (--token or ANGORA_TOKEN), or bind to "
          + "127.0.0.1");
    }
    Metrics metrics = new Metrics();
    List<HttpRoute> routes = new ArrayList<>();
    routes.addAll(new StaticFiles().routes());
    routes.addAll(new SendEndpoint(angora).routes());
    routes.addAll(new TaskEndpoints(angora).routes());
    routes.addAll(new RunEndpoints(angora, new LogFiles(System.getenv(), 64 * 1024)).routes());
    routes.addAll(new WorkflowEndpoints(angora).routes());
    routes.addAll(new StatusEndpoints(angora, metrics).routes());
    routes.addAll(new ScheduleEndpoints(angora).routes());
    routes.addAll(extraRoutes);
    Dispatcher dispatcher = new Dispatcher(new Router(routes), new Auth(options.token()),
        options.maxBodyBytes(), options.corsOrigin());

    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, options.port()), 64);
    } catch (IOException e) {
      throw new AngoraException("cannot serve the Angora API on " + address.getHostAddress()
          + ":" + options.port() + ": " + e.getMessage(), e);
    }
    ThreadPoolExecutor threads = new ThreadPoolExecutor(options.threads(), options.threads(),
        30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), namedThreads(),
        // Backpressure when 256 requests wait: the accepting thread answers, accepting no more.
        new ThreadPoolExecutor.CallerRunsPolicy());
    threads.allowCoreThreadTimeOut(true);
    server.setExecutor(threads);
    server.createContext("/", dispatcher);
    angora.addListener(metrics);
    server.start();
    AngoraHttpServer started = new AngoraHttpServer(server, threads, angora, metrics, options);
    log.info("Angora API and UI on {}", started.url());
    return started;
  }

  /** The port listened on (the one picked when the options said 0). */
  public int port() {
    return port;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080/}; a wildcard bind shows as 127.0.0.1. */
  public String url() {
    InetAddress address = options.bindAddress();
    String host = address.isAnyLocalAddress() ? "127.0.0.1"
        : address instanceof Inet6Address ? "[" + address.getHostAddress() + "]"
        : address.getHostAddress();
    return "http://" + host + ":" + port() + "/";
  }

  /**
   * Stops: no new connections, requests in progress get the drain time, then the request
   * threads are stopped. Idempotent; leaves the {@link Angora} running.
   */
  @Override
  public void close() {
    if (closed.getAndIncrement() > 0) {
      return;
    }
    angora.removeListener(metrics);
    server.stop((int) Math.min(Integer.MAX_VALUE, options.drain().toSeconds()));
    threads.shutdown();
    try {
      if (!threads.awaitTermination(options.drain().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.info("Angora API on port {} stopped", port());
  }

  private static ThreadFactory namedThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "angora-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
