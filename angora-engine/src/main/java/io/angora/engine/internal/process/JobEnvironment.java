package io.angora.engine.internal.process;

import io.angora.api.Job;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The environment a job runs in: the worker's (unless not inherited) without Angora's own
 * secrets, the executor's extra variables, the {@code ANGORA_} variables describing the job, then
 * the task's {@code env}.
 */
public final class JobEnvironment {
  /** The variables the engine sets for every job; a task's {@code env} cannot replace them. */
  public static final Set<String> RESERVED = Set.of("ANGORA_TASK", "ANGORA_RUN_ID",
      "ANGORA_WORKFLOW_ID", "ANGORA_MESSAGE", "ANGORA_PAYLOAD", "ANGORA_ATTEMPT",
      "ANGORA_FAILED_RUN_ID", "ANGORA_FAILED_STATUS", "ANGORA_FAILED_REASON");

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
    JobVariables variables = TaskEnvironment.of(environment, settings, job.task()).forJob(job);
    environment.clear();
    environment.putAll(variables.asMap());
    return environment;
  }

  /**
   * The task's {@code env} entries as a job sees them: expanded against the environment before
   * any task variable is added, so that the result does not depend on the (undefined) order of
   * the task's map; the withheld secrets are visible there, since the task file names them on
   * purpose. Reserved names are left out.
   *
   * @param taskEnv the entries to expand
   * @param lookup the job's environment without task variables
   * @param withheld the withheld secrets
   * @return the expanded entries
   */
  static Map<String, String> expandTaskVariables(Map<String, String> taskEnv,
      Map<String, String> lookup, Map<String, String> withheld) {
    Map<String, String> from = lookup;
    if (!withheld.isEmpty()) {
      from = new HashMap<>(withheld);
      from.putAll(lookup);
    }
    Map<String, String> added = new HashMap<>(taskEnv.size() * 2);
    for (Map.Entry<String, String> variable : taskEnv.entrySet()) {
      if (!RESERVED.contains(variable.getKey())) {
        added.put(variable.getKey(), CommandLine.expand(variable.getValue(), from));
      }
    }
    return added;
  }

  /**
   * Checks that a variable can be in an environment.
   *
   * @param name its name
   * @param value its value
   * @throws IllegalArgumentException naming what cannot be
   */
  static void check(String name, String value) {
    if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Invalid environment variable name: \"" + name + "\"");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Invalid environment variable value: \"" + value + "\"");
    }
  }

  /** Removes the withheld variables from an inherited environment; returns them. */
  static Map<String, String> withhold(Map<String, String> environment) {
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
