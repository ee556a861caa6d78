package io.angora.engine.internal.process;

import io.angora.api.Job;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One job's environment: its task's shared part plus the six {@code ANGORA_} variables of the
 * job (nine for a job an {@code on_failure} message triggered) and the task variables expanded for it, looked up without copying the shared part.
 * Immutable and thread-safe.
 */
final class JobVariables {
  private final TaskEnvironment shared;
  private final Map<String, String> expanded;
  private final String task;
  private final String runId;
  private final String workflowId;
  private final String message;
  private final String payload;
  private final String attempt;
  private final Job.@Nullable Failure failed;

  JobVariables(TaskEnvironment shared, Job job, Map<String, String> expanded) {
    this.shared = shared;
    this.expanded = expanded;
    this.task = job.task().name();
    this.runId = job.runId();
    this.workflowId = job.message().workflowId();
    this.message = job.message().text();
    this.payload = Objects.requireNonNullElse(job.message().payload(), "");
    this.attempt = Integer.toString(job.attempt());
    this.failed = job.failed();
  }

  /**
   * A variable's value.
   *
   * @param name the name
   * @return the value, or null when the job does not have it
   */
  @Nullable String get(String name) {
    String own = own(name);
    if (own != null) {
      return own;
    }
    String value = expanded.get(name);
    if (value != null) {
      return value;
    }
    value = shared.fixedTaskVariables().get(name);
    return value != null ? value : shared.beforeTask().get(name);
  }

  /** Every variable as {@code NAME=value}, for {@code posix_spawn}. */
  List<String> pairs() {
    List<String> pairs = new ArrayList<>(shared.fixedPairs().size() + 6 + expanded.size());
    pairs.addAll(shared.fixedPairs());
    pairs.add("ANGORA_TASK=" + task);
    pairs.add("ANGORA_RUN_ID=" + runId);
    pairs.add("ANGORA_WORKFLOW_ID=" + workflowId);
    pairs.add("ANGORA_MESSAGE=" + message);
    pairs.add("ANGORA_PAYLOAD=" + payload);
    pairs.add("ANGORA_ATTEMPT=" + attempt);
    if (failed != null) {
      pairs.add("ANGORA_FAILED_RUN_ID=" + failed.runId());
      pairs.add("ANGORA_FAILED_STATUS=" + failed.status());
      pairs.add("ANGORA_FAILED_REASON=" + failed.reason());
    }
    expanded.forEach((name, value) -> pairs.add(name + '=' + value));
    return pairs;
  }

  /** Every variable as a new map, for {@link ProcessBuilder#environment()}. */
  Map<String, String> asMap() {
    Map<String, String> all = withoutTaskVariables();
    all.putAll(shared.fixedTaskVariables());
    all.putAll(expanded);
    return all;
  }

  /** The variables a lookup sees, as a read-only map that copies nothing. */
  Map<String, String> lookup() {
    return new AbstractMap<>() {
      @Override
      public @Nullable String get(Object key) {
        return key instanceof String name ? JobVariables.this.get(name) : null;
      }

      @Override
      public Set<Entry<String, String>> entrySet() {
        return asMap().entrySet();
      }
    };
  }

  /** The inherited, executor and job variables, without the task's, as a new map. */
  Map<String, String> withoutTaskVariables() {
    Map<String, String> all = new HashMap<>(shared.beforeTask());
    all.put("ANGORA_TASK", task);
    all.put("ANGORA_RUN_ID", runId);
    all.put("ANGORA_WORKFLOW_ID", workflowId);
    all.put("ANGORA_MESSAGE", message);
    all.put("ANGORA_PAYLOAD", payload);
    all.put("ANGORA_ATTEMPT", attempt);
    if (failed != null) {
      all.put("ANGORA_FAILED_RUN_ID", failed.runId());
      all.put("ANGORA_FAILED_STATUS", failed.status().name());
      all.put("ANGORA_FAILED_REASON", failed.reason());
    }
    return all;
  }

  /** Checks the values that change per job (the shared ones were checked once). */
  void check() {
    JobEnvironment.check("ANGORA_RUN_ID", runId);
    JobEnvironment.check("ANGORA_WORKFLOW_ID", workflowId);
    JobEnvironment.check("ANGORA_MESSAGE", message);
    JobEnvironment.check("ANGORA_PAYLOAD", payload);
    JobEnvironment.check("ANGORA_TASK", task);
    expanded.forEach(JobEnvironment::check);
  }

  private @Nullable String own(String name) {
    if (!name.startsWith("ANGORA_")) {
      return null;
    }
    return switch (name) {
      case "ANGORA_TASK" -> task;
      case "ANGORA_RUN_ID" -> runId;
      case "ANGORA_WORKFLOW_ID" -> workflowId;
      case "ANGORA_MESSAGE" -> message;
      case "ANGORA_PAYLOAD" -> payload;
      case "ANGORA_ATTEMPT" -> attempt;
      case "ANGORA_FAILED_RUN_ID" -> failed == null ? null : failed.runId();
      case "ANGORA_FAILED_STATUS" -> failed == null ? null : failed.status().name();
      case "ANGORA_FAILED_REASON" -> failed == null ? null : failed.reason();
      default -> null;
    };
  }
}
