package io.angora.engine.internal.process;

import io.angora.api.Job;
import io.angora.api.TaskDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every job of one task shares in its environment, worked out once: the inherited
 * variables without the withheld secrets, the executor's variables and the task's {@code env}
 * entries that do not depend on the job (no {@code $}), as a map and as {@code NAME=value}
 * strings; entries with a {@code $} are expanded per job. Immutable and thread-safe.
 *
 * @param beforeTask the environment before the job's and the task's variables are added
 * @param withheld the inherited secrets jobs do not get, visible to the task's expansions
 * @param fixedTaskVariables task variables that are the same for every job
 * @param jobTaskVariables task variables expanded per job
 * @param fixedPairs {@code NAME=value} of every variable that is the same for every job
 */
record TaskEnvironment(Map<String, String> beforeTask, Map<String, String> withheld,
    Map<String, String> fixedTaskVariables, Map<String, String> jobTaskVariables,
    List<String> fixedPairs) {

  /**
   * Works out a task's shared environment.
   *
   * @param inherited the worker's environment (read, not changed)
   * @param settings the executor's settings
   * @param task the task
   * @return its environment
   * @throws IllegalArgumentException if a variable cannot be in an environment
   */
  static TaskEnvironment of(Map<String, String> inherited, LaunchSettings settings,
      TaskDefinition task) {
    Map<String, String> before = new HashMap<>();
    Map<String, String> withheld = Map.of();
    if (settings.inheritEnvironment()) {
      before.putAll(inherited);
      withheld = JobEnvironment.withhold(before);
    }
    before.putAll(settings.environment());
    before.keySet().removeAll(JobEnvironment.RESERVED);
    Map<String, String> fixedTask = new HashMap<>();
    Map<String, String> perJob = new HashMap<>();
    task.env().forEach((name, value) -> {
      if (!JobEnvironment.RESERVED.contains(name)) {
        (value.indexOf('$') < 0 ? fixedTask : perJob).put(name, value);
      }
    });
    Map<String, String> fixed = new HashMap<>(before);
    fixed.putAll(fixedTask);
    fixed.keySet().removeAll(perJob.keySet());
    List<String> pairs = new ArrayList<>(fixed.size());
    fixed.forEach((name, value) -> {
      JobEnvironment.check(name, value);
      pairs.add(name + '=' + value);
    });
    return new TaskEnvironment(Map.copyOf(before), Map.copyOf(withheld), Map.copyOf(fixedTask),
        Map.copyOf(perJob), List.copyOf(pairs));
  }

  /**
   * The environment of one job of the task.
   *
   * @param job the job
   * @return its variables
   * @throws IllegalArgumentException if a variable cannot be in an environment; the message
   *     names the task and run
   */
  JobVariables forJob(Job job) {
    try {
      JobVariables variables = new JobVariables(this, job, Map.of());
      if (jobTaskVariables.isEmpty()) {
        variables.check();
        return variables;
      }
      Map<String, String> expanded = JobEnvironment.expandTaskVariables(jobTaskVariables,
          variables.withoutTaskVariables(), withheld);
      JobVariables all = new JobVariables(this, job, expanded);
      all.check();
      return all;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("task '" + job.task().name() + "', run " + job.runId()
          + ": cannot set up the job's environment: " + e.getMessage(), e);
    }
  }
}
