package io.angora.http.internal;

import io.angora.api.Run;
import io.angora.api.RunListener;
import io.angora.api.StoreHealth;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counts runs by task and status and records run durations, as the engine reports them to this
 * listener; renders them with gauges in the Prometheus text format. Counters start at zero when
 * the server starts, as Prometheus expects of a restarted process. Thread-safe.
 */
public final class Metrics implements RunListener {
  /** Histogram bucket bounds in seconds. */
  static final double[] BUCKETS = {0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600};

  private final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> runs =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Histogram> durations = new ConcurrentHashMap<>();

  /** Creates empty metrics. */
  public Metrics() {}

  @Override
  public void onRun(Run run) {
    runs.computeIfAbsent(run.task(), t -> new ConcurrentHashMap<>())
        .computeIfAbsent(run.status().name(), s -> new LongAdder()).increment();
    if (run.status().isFinal() && run.startedAt() != null && run.finishedAt() != null) {
      double seconds = Duration.between(run.startedAt(), run.finishedAt()).toNanos() / 1e9;
      durations.computeIfAbsent(run.task(), t -> new Histogram()).observe(seconds);
    }
  }

  /**
   * Renders every metric.
   *
   * @param gauges the current gauges: tasks, workers, queue depths
   * @return the Prometheus text exposition (format 0.0.4)
   */
  public String render(Gauges gauges) {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP angora_up Whether the engine is running.\n# TYPE angora_up gauge\n")
        .append("angora_up ").append(gauges.running() ? 1 : 0).append('\n');
    sb.append("# HELP angora_tasks Tasks in force.\n# TYPE angora_tasks gauge\n")
        .append("angora_tasks ").append(gauges.tasks()).append('\n');
    sb.append("# HELP angora_workers_alive Workers heard from recently.\n")
        .append("# TYPE angora_workers_alive gauge\n")
        .append("angora_workers_alive ").append(gauges.aliveWorkers()).append('\n');
    sb.append("# HELP angora_queue_depth Items waiting in a transport queue.\n")
        .append("# TYPE angora_queue_depth gauge\n");
    new TreeMap<>(gauges.queueDepths()).forEach((queue, depth) -> sb.append("angora_queue_depth")
        .append("{queue=\"").append(escape(queue)).append("\"} ").append(depth).append('\n'));
    StoreHealth store = gauges.store();
    if (store != null) {
      sb.append("# HELP angora_store_pending_writes Run store writes not yet committed.\n")
          .append("# TYPE angora_store_pending_writes gauge\n")
          .append("angora_store_pending_writes ").append(store.pendingWrites()).append('\n');
      sb.append("# HELP angora_store_max_pending_writes Pending writes beyond which writers "
          + "block.\n# TYPE angora_store_max_pending_writes gauge\n")
          .append("angora_store_max_pending_writes ").append(store.maxPendingWrites())
          .append('\n');
      sb.append("# HELP angora_store_refused_writes_total Writes the database refused, set "
          + "aside (logged) and not recorded.\n# TYPE angora_store_refused_writes_total counter\n")
          .append("angora_store_refused_writes_total ").append(store.refusedWrites())
          .append('\n');
      sb.append("# HELP angora_store_writes_failing Whether the run store cannot write now "
          + "(database away); writes wait.\n# TYPE angora_store_writes_failing gauge\n")
          .append("angora_store_writes_failing ").append(store.writesFailing() ? 1 : 0)
          .append('\n');
    }
    sb.append("# HELP angora_runs_total Runs that entered a status, by task.\n")
        .append("# TYPE angora_runs_total counter\n");
    new TreeMap<>(runs).forEach((task, byStatus) -> new TreeMap<>(byStatus).forEach(
        (status, count) -> sb.append("angora_runs_total{task=\"").append(escape(task))
            .append("\",status=\"").append(status).append("\"} ").append(count.sum())
            .append('\n')));
    sb.append("# HELP angora_run_duration_seconds Time from start to finish of runs, by task.\n")
        .append("# TYPE angora_run_duration_seconds histogram\n");
    new TreeMap<>(durations).forEach((task, h) -> h.render(sb, escape(task)));
    return sb.toString();
  }

  /**
   * Escapes a label value: backslash, double quote and line feed.
   *
   * @param value the raw value
   * @return the escaped value
   */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /**
   * The gauges read at scrape time.
   *
   * @param running whether the engine runs
   * @param tasks tasks in force
   * @param aliveWorkers workers alive
   * @param queueDepths queue name to depth
   * @param store how the run store's background writing goes, when it reports it
   */
  public record Gauges(boolean running, int tasks, long aliveWorkers,
      Map<String, Long> queueDepths, @Nullable StoreHealth store) {
    /**
     * Gauges without a run store report.
     *
     * @param running whether the engine runs
     * @param tasks tasks in force
     * @param aliveWorkers workers alive
     * @param queueDepths queue name to depth
     */
    public Gauges(boolean running, int tasks, long aliveWorkers, Map<String, Long> queueDepths) {
      this(running, tasks, aliveWorkers, queueDepths, null);
    }
  }

  private static final class Histogram {
    private final LongAdder[] counts = new LongAdder[BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts[i].increment();
        }
      }
      count.increment();
      sum.add(seconds);
    }

    void render(StringBuilder sb, String task) {
      for (int i = 0; i < BUCKETS.length; i++) {
        sb.append("angora_run_duration_seconds_bucket{task=\"").append(task).append("\",le=\"")
            .append(BUCKETS[i]).append("\"} ").append(counts[i].sum()).append('\n');
      }
      long total = count.sum();
      sb.append("angora_run_duration_seconds_bucket{task=\"").append(task)
          .append("\",le=\"+Inf\"} ").append(total).append('\n');
      sb.append("angora_run_duration_seconds_sum{task=\"").append(task).append("\"} ")
          .append(sum.sum()).append('\n');
      sb.append("angora_run_duration_seconds_count{task=\"").append(task).append("\"} ")
          .append(total).append('\n');
    }
  }
}
