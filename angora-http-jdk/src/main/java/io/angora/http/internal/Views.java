package io.angora.http.internal;

import io.angora.api.Message;
import io.angora.api.FlowControl;
import io.angora.api.Run;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.engine.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The API's JSON shapes, written out field by field so that the wire format is stable and
 * documented whatever the records gain later. Stateless.
 */
public final class Views {
  private Views() {}

  /**
   * A run.
   *
   * @param run the run
   * @param withOutput whether to include its output tail (left out of lists)
   * @return the JSON object
   */
  public static Map<String, Object> run(Run run, boolean withOutput) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", run.id());
    m.put("task", run.task());
    m.put("message", run.message());
    m.put("messageId", run.messageId());
    m.put("payload", run.payload());
    m.put("workflowId", run.workflowId());
    m.put("parentRunId", run.parentRunId());
    m.put("attempt", run.attempt());
    m.put("status", run.status().name());
    m.put("reason", run.reason());
    m.put("exitCode", run.exitCode());
    m.put("worker", run.worker());
    m.put("queuedAt", run.queuedAt());
    m.put("startedAt", run.startedAt());
    m.put("finishedAt", run.finishedAt());
    m.put("durationMillis", run.startedAt() != null && run.finishedAt() != null
        ? Duration.between(run.startedAt(), run.finishedAt()).toMillis() : null);
    if (withOutput) {
      m.put("output", run.output());
    }
    return m;
  }

  /**
   * A task with its newest run and when a schedule triggers it next.
   *
   * @param task the task
   * @param last its newest run, if any
   * @param nextSchedule the earliest next fire time of a schedule triggering it, or null
   * @return the JSON object
   */
  public static Map<String, Object> task(TaskDefinition task, Optional<Run> last,
      @Nullable Instant nextSchedule) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", task.name());
    m.put("triggers", task.triggers());
    m.put("command", task.command());
    m.put("log", task.log());
    m.put("messages", task.messages());
    m.put("replay", task.replaysForever() ? "unlimited" : task.replay());
    m.put("parentSuccess", task.parentSuccess());
    m.put("timeout", task.timeout());
    m.put("onFailure", task.onFailure());
    m.put("flow", flow(task.flow()));
    // Values may be secrets: show which variables are set, not their values.
    m.put("env", List.copyOf(new TreeSet<>(task.env().keySet())));
    m.put("origin", task.origin());
    m.put("lastStatus", last.map(r -> r.status().name()).orElse(null));
    m.put("lastRun", last.map(Views::runSummary).orElse(null));
    m.put("nextSchedule", nextSchedule);
    return m;
  }

  /** A task's flow keys as in its file: {@code concurrency} null for no limit. */
  private static Map<String, Object> flow(FlowControl flow) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("concurrency", flow.concurrency() == FlowControl.NO_LIMIT ? null : flow.concurrency());
    FlowControl.Group group = flow.group();
    m.put("concurrencyGroup", group == null ? null : group.name());
    m.put("groupLimit", group == null ? null : group.limit());
    m.put("overflow", flow.overflow().yaml());
    FlowControl.Rate rate = flow.rate();
    m.put("rate", rate == null ? null : rate.toString());
    m.put("priority", flow.priority());
    return m;
  }

  private static Map<String, Object> runSummary(Run run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", run.id());
    m.put("status", run.status().name());
    m.put("queuedAt", run.queuedAt());
    m.put("finishedAt", run.finishedAt());
    return m;
  }

  /**
   * A received message.
   *
   * @param message the message
   * @return the JSON object
   */
  public static Map<String, Object> message(Message message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", message.id());
    m.put("text", message.text());
    m.put("payload", message.payload());
    m.put("workflowId", message.workflowId());
    m.put("parentRunId", message.parentRunId());
    m.put("task", message.task());
    m.put("sentAt", message.sentAt());
    return m;
  }

  /**
   * A worker.
   *
   * @param worker the worker
   * @return the JSON object
   */
  public static Map<String, Object> worker(WorkerInfo worker) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", worker.name());
    m.put("host", worker.host());
    m.put("concurrency", worker.concurrency());
    m.put("runIds", worker.runIds());
    m.put("lastSeen", worker.lastSeen());
    m.put("alive", worker.alive());
    return m;
  }

  /**
   * A task loading error.
   *
   * @param error the error
   * @return the JSON object
   */
  public static Map<String, Object> taskError(TaskError error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", error.file());
    m.put("line", error.line());
    m.put("field", error.field());
    m.put("message", error.message());
    return m;
  }
}
