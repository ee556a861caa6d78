package io.angora.engine.internal.process;

import io.angora.api.Job;
import io.angora.api.Message;
import io.angora.api.TaskDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The environment a job runs in: the worker's (unless not inherited), the executor's extra
 * variables, the {@code ANGORA_} variables describing the job, then the task's {@code env}.
 */
public final class JobEnvironment {
  /** The variables the engine sets for every job; a task's {@code env} cannot replace them. */
  public static final Set<String> RESERVED = Set.of("ANGORA_TASK", "ANGORA_RUN_ID",
      "ANGORA_WORKFLOW_ID", "ANGORA_MESSAGE", "ANGORA_PAYLOAD", "ANGORA_ATTEMPT");

  private JobEnvironment() {}

  /**
   * Fills a process builder's environment for a job. The message text and payload go into
   * variables only: they are never parsed.
   *
   * @param environment the builder's environment, a copy of the worker's
   * @param settings the executor's settings
   * @param job the job
   * @return {@code environment}, filled
   * @throws IllegalArgumentException if a name or value cannot be in an environment (a NUL,
   *     an {@code =} in a name); the message names the task and run
   */
  public static Map<String, String> fill(Map<String, String> environment, LaunchSettings settings,
      Job job) {
    try {
      return fillChecked(environment, settings, job);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("task '" + job.task().name() + "', run " + job.runId()
          + ": cannot set up the job's environment: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> fillChecked(Map<String, String> environment,
      LaunchSettings settings, Job job) {
    if (!settings.inheritEnvironment()) {
      environment.clear();
    }
    environment.putAll(settings.environment());
    TaskDefinition task = job.task();
    Message message = job.message();
    environment.put("ANGORA_TASK", task.name());
    environment.put("ANGORA_RUN_ID", job.runId());
    environment.put("ANGORA_WORKFLOW_ID", message.workflowId());
    environment.put("ANGORA_MESSAGE", message.text());
    environment.put("ANGORA_PAYLOAD", Objects.requireNonNullElse(message.payload(), ""));
    environment.put("ANGORA_ATTEMPT", Integer.toString(job.attempt()));
    if (!task.env().isEmpty()) {
      // Expanded against the environment before any task variable is added, so that the result
      // does not depend on the (undefined) order of the task's map.
      List<Map.Entry<String, String>> added = new ArrayList<>(task.env().size());
      task.env().forEach((key, value) -> {
        if (!RESERVED.contains(key)) {
          added.add(Map.entry(key, CommandLine.expand(value, environment)));
        }
      });
      added.forEach(entry -> environment.put(entry.getKey(), entry.getValue()));
    }
    return environment;
  }
}
