package io.angora.engine.internal.process;

import io.angora.api.Job;
import io.angora.api.Message;
import io.angora.api.TaskDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The environment a job runs in: the worker's (unless not inherited) without Angora's own
 * secrets, the executor's extra variables, the {@code ANGORA_} variables describing the job, then
 * the task's {@code env}.
 */
public final class JobEnvironment {
  /** The variables the engine sets for every job; a task's {@code env} cannot replace them. */
  public static final Set<String> RESERVED = Set.of("ANGORA_TASK", "ANGORA_RUN_ID",
      "ANGORA_WORKFLOW_ID", "ANGORA_MESSAGE", "ANGORA_PAYLOAD", "ANGORA_ATTEMPT");

  private JobEnvironment() {}

  /**
   * Whether an inherited variable is one of Angora's own secrets, kept from jobs: an
   * {@code ANGORA_} name (other than the job's own variables) that holds or points to a secret:
   * one containing {@code TOKEN}, {@code PASSWORD} or {@code SECRET}, or ending in {@code _FILE},
   * {@code _URI} or {@code _URL} (a broker or database address may carry a password), such as
   * {@code ANGORA_TOKEN}, {@code ANGORA_AMQP_URI} or {@code ANGORA_AMQP_PASSWORD_FILE}. A task
   * that needs one names it in its {@code env} ({@code TOKEN: $ANGORA_TOKEN}).
   *
   * @param name a variable's name
   * @return whether jobs do not inherit it
   */
  public static boolean isWithheld(String name) {
    return name.startsWith("ANGORA_") && !RESERVED.contains(name)
        && (name.contains("TOKEN") || name.contains("PASSWORD") || name.contains("SECRET")
            || name.endsWith("_FILE") || name.endsWith("_URI") || name.endsWith("_URL"));
  }

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
    Map<String, String> withheld = Map.of();
    if (!settings.inheritEnvironment()) {
      environment.clear();
    } else {
      withheld = withhold(environment);
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
      // does not depend on the (undefined) order of the task's map; the withheld secrets are
      // visible here, since the task file names them on purpose.
      Map<String, String> lookup = environment;
      if (!withheld.isEmpty()) {
        lookup = new HashMap<>(withheld);
        lookup.putAll(environment);
      }
      List<Map.Entry<String, String>> added = new ArrayList<>(task.env().size());
      for (Map.Entry<String, String> variable : task.env().entrySet()) {
        if (!RESERVED.contains(variable.getKey())) {
          added.add(Map.entry(variable.getKey(), CommandLine.expand(variable.getValue(), lookup)));
        }
      }
      added.forEach(entry -> environment.put(entry.getKey(), entry.getValue()));
    }
    return environment;
  }

  /** Removes the withheld variables from an inherited environment; returns them. */
  private static Map<String, String> withhold(Map<String, String> environment) {
    Map<String, String> withheld = Map.of();
    for (Iterator<Map.Entry<String, String>> it = environment.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, String> variable = it.next();
      if (isWithheld(variable.getKey())) {
        if (withheld.isEmpty()) {
          withheld = new HashMap<>();
        }
        withheld.put(variable.getKey(), variable.getValue());
        it.remove();
      }
    }
    return withheld;
  }
}
