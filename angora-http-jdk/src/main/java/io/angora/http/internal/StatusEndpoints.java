package io.angora.http.internal;

import io.angora.engine.Angora;
import io.angora.engine.Role;
import io.angora.engine.WorkerInfo;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent messages, workers, {@code /health} and {@code /metrics}. Thread-safe.
 */
public final class StatusEndpoints {
  private final Angora angora;
  private final Metrics metrics;

  /**
   * Creates the endpoints.
   *
   * @param angora the engine
   * @param metrics the run counters, registered as a listener of the engine
   */
  public StatusEndpoints(Angora angora, Metrics metrics) {
    this.angora = angora;
    this.metrics = metrics;
  }

  /** The routes. */
  public List<HttpRoute> routes() {
    return List.of(
        HttpRoute.get("/api/messages", call -> HttpReply.ok(angora
            .recentMessages(Params.limit(call, 50)).stream().map(Views::message).toList())),
        HttpRoute.get("/api/workers", call -> HttpReply.ok(coordinates()
            ? angora.workers().stream().map(Views::worker).toList() : List.of())),
        HttpRoute.get("/health", call -> health()),
        HttpRoute.get("/metrics", call -> HttpReply.text(200, metrics.render(gauges()))
            .withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")));
  }

  private HttpReply health() {
    boolean running = angora.isRunning();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", running ? "UP" : "DOWN");
    body.put("role", angora.role().name());
    body.put("queues", running ? angora.queueDepths() : Map.of());
    return HttpReply.json(running ? 200 : 503, body);
  }

  private Metrics.Gauges gauges() {
    boolean coordinates = coordinates();
    return new Metrics.Gauges(angora.isRunning(), coordinates ? angora.tasks().size() : 0,
        coordinates ? angora.workers().stream().filter(WorkerInfo::alive).count() : 0,
        angora.queueDepths(),
        coordinates ? angora.storeHealth().orElse(null) : null);
  }

  private boolean coordinates() {
    return angora.role() != Role.WORKER;
  }
}
