package io.angora.http;

import com.sun.net.httpserver.HttpServer;
import io.angora.api.AngoraException;
import io.angora.api.RunListener;
import io.angora.engine.Angora;
import io.angora.engine.Role;
import io.angora.http.internal.Admission;
import io.angora.http.internal.Auth;
import io.angora.http.internal.BrowserOrigin;
import io.angora.http.internal.Dispatcher;
import io.angora.http.internal.LatestRuns;
import io.angora.http.internal.EventStream;
import io.angora.http.internal.ExplainEndpoint;
import io.angora.http.internal.LogFiles;
import io.angora.http.internal.Metrics;
import io.angora.http.internal.Router;
import io.angora.http.internal.RunEndpoints;
import io.angora.http.internal.ScheduleEndpoints;
import io.angora.http.internal.SendEndpoint;
import io.angora.http.internal.StaticFiles;
import io.angora.http.internal.StatusEndpoints;
import io.angora.http.internal.TaskEndpoints;
import io.angora.http.internal.WorkerWatch;
import io.angora.http.internal.WorkflowEndpoints;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
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
 * <p>Connections: the JDK server reads a few settings from system properties once, when the
 * first server of the JVM is created; this class sets Angora's values for those still unset
 * when it is loaded, so they apply in an embedding application as in {@code ./angora}, unless
 * the application created a JDK {@code HttpServer} earlier or sets them itself:
 * {@code sun.net.httpserver.nodelay=true} (TCP_NODELAY on every connection, without which each
 * answer on a kept-alive connection waits about 40 ms for the client's delayed ACK),
 * {@code sun.net.httpserver.maxReqTime=10} (seconds to send a request's headers and body, after
 * which the connection is closed; also the longest a new connection may stay silent),
 * {@code jdk.httpserver.maxConnections=512} (connections beyond are closed at once) and
 * {@code sun.net.httpserver.maxReqHeaderSize=65536} (bytes of request headers).
 *
 * <p>Threads named {@code angora-http-N}, one per request being read or answered, up to the
 * connection limit: a slow client holds only its own. At most {@link HttpOptions#threads()}
 * requests are handled at once; up to {@link HttpOptions#queue()} more wait for a place for up
 * to 10 s, and any beyond get 503. Closing stops accepting, lets requests in progress finish for
 * {@link HttpOptions#drain()}, then stops the threads; it does not close the {@link Angora}.
 * Thread-safe.
 */
public final class AngoraHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AngoraHttpServer.class);
  private static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

  static {
    // Before any JDK HttpServer exists: its ServerConfig reads these once per JVM.
    defaultProperty("sun.net.httpserver.nodelay", "true");
    defaultProperty("sun.net.httpserver.maxReqTime", "10");
    defaultProperty(MAX_CONNECTIONS, "512");
    defaultProperty("sun.net.httpserver.maxReqHeaderSize", "65536");
  }
  /** Events buffered per event-stream client before it is dropped as too slow. */
  private static final int EVENT_QUEUE = 1024;
  /** How often the workers are looked at for {@code worker} events. */
  private static final Duration WORKER_WATCH = Duration.ofSeconds(1);
  /** A heartbeat comment after this long without an event keeps proxies from closing. */
  private static final Duration EVENT_HEARTBEAT = Duration.ofSeconds(15);

  private final HttpServer server;
  private final ThreadPoolExecutor threads;
  private final Angora angora;
  private final List<RunListener> listeners;
  private final EventStream events;
  private final @Nullable WorkerWatch workers;
  private final HttpOptions options;
  private final int port;
  private final AtomicInteger closed = new AtomicInteger();

  private AngoraHttpServer(HttpServer server, ThreadPoolExecutor threads, Angora angora,
      List<RunListener> listeners, EventStream events, @Nullable WorkerWatch workers,
      HttpOptions options) {
    this.server = server;
    this.workers = workers;
    this.threads = threads;
    this.angora = angora;
    this.listeners = listeners;
    this.events = events;
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
    // Each open stream holds a thread of its own (not a place among those handled at once).
    EventStream events = new EventStream(EVENT_QUEUE, Math.max(1, options.threads() / 2),
        EVENT_HEARTBEAT);
    List<HttpRoute> routes = new ArrayList<>();
    routes.addAll(new StaticFiles().routes());
    routes.addAll(new SendEndpoint(angora).routes());
    routes.addAll(new ExplainEndpoint(angora).routes());
    LatestRuns latest = new LatestRuns(angora.runs());
    routes.addAll(new TaskEndpoints(angora, latest).routes());
    routes.addAll(new RunEndpoints(angora, new LogFiles(System.getenv(), 64 * 1024)).routes());
    routes.addAll(new WorkflowEndpoints(angora).routes());
    routes.addAll(new StatusEndpoints(angora, metrics).routes());
    routes.addAll(new ScheduleEndpoints(angora).routes());
    routes.addAll(events.routes());
    routes.addAll(extraRoutes);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, options.port()), 512);
    } catch (IOException e) {
      throw new AngoraException("cannot serve the Angora API on " + address.getHostAddress()
          + ":" + options.port() + ": " + e.getMessage(), e);
    }
    Dispatcher dispatcher = new Dispatcher(new Router(routes), new Auth(options.token()),
        options.maxBodyBytes(), new BrowserOrigin(address, server.getAddress().getPort(),
            options.allowedHosts(), options.allowedOrigins()),
        new Admission(options.threads(), options.queue(), LONGEST_WAIT));
    // One thread per exchange, up to the connection limit; never the accepting thread (a
    // refused exchange's connection is closed by the JDK server).
    ThreadPoolExecutor threads = new ThreadPoolExecutor(0, readerThreads(options), 30,
        TimeUnit.SECONDS, new SynchronousQueue<>(), namedThreads(),
        new ThreadPoolExecutor.AbortPolicy());
    server.setExecutor(threads);
    server.createContext("/", dispatcher);
    List<RunListener> listeners = List.of(metrics, latest, events);
    listeners.forEach(angora::addListener);
    WorkerWatch workers = angora.role() == Role.WORKER ? null
        : new WorkerWatch(angora::workers, events, WORKER_WATCH);
    server.start();
    AngoraHttpServer started = new AngoraHttpServer(server, threads, angora, listeners, events,
        workers, options);
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
    listeners.forEach(angora::removeListener);
    if (workers != null) {
      workers.close();
    }
    events.close();
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

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  private static int readerThreads(HttpOptions options) {
    int connections;
    try {
      connections = Integer.parseInt(System.getProperty(MAX_CONNECTIONS, "512").strip());
    } catch (NumberFormatException e) {
      connections = 512;
    }
    return (connections > 0 ? connections : 1024) + options.threads();
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
