package io.angora.http.internal;

import io.angora.engine.WorkerInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the coordinator's view of its workers into {@code worker} events on the event stream:
 * one when a worker is first seen, when the runs it holds change (so its running count), and
 * when it is lost (no heartbeat within the worker timeout) or back. Heartbeats themselves are not events
 * (they come every few seconds from every worker), so the coordinator's registry, in memory,
 * is looked at every interval while a client is connected. Thread-safe.
 */
public final class WorkerWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerWatch.class);

  private final Supplier<List<WorkerInfo>> workers;
  private final EventStream events;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "angora-http-workers");
    t.setDaemon(true);
    return t;
  });
  /** What was last told of each worker: the runs it held and whether it was alive. */
  private final Map<String, Shown> shown = new HashMap<>(); // used by the timer thread only

  private record Shown(List<String> runIds, boolean alive) {}

  /**
   * Starts watching.
   *
   * @param workers the coordinator's workers, alive or not
   * @param events where the events go
   * @param interval how often to look
   */
  public WorkerWatch(Supplier<List<WorkerInfo>> workers, EventStream events, Duration interval) {
    this.workers = workers;
    this.events = events;
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(this::look, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void look() {
    try {
      List<WorkerInfo> now = workers.get();
      boolean watched = events.clientCount() > 0;
      for (WorkerInfo worker : now) {
        Shown state = new Shown(worker.runIds(), worker.alive());
        if (!state.equals(shown.put(worker.name(), state)) && watched) {
          events.publish("worker", Views.worker(worker));
        }
      }
    } catch (RuntimeException e) {
      log.debug("Workers not looked at: {}", e.toString());
    }
  }

  /** Stops watching. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
