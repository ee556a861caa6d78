package io.angora.engine.internal.process;

import io.angora.api.TaskDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one process executor's launches share: its settings, which launcher starts processes,
 * the environments of the tasks it ran lately (worked out once per task, not per job) and the
 * output tails of the jobs running now (its live output). Thread-safe.
 */
public final class LaunchContext {
  /** Tasks whose environment is kept; a reload brings new definitions, so the oldest go. */
  private static final int CACHED_TASKS = 512;

  private final LaunchSettings settings;
  private final boolean spawn;
  private final Map<String, OutputTail> running = new ConcurrentHashMap<>();
  private final Map<EnvironmentKey, TaskEnvironment> environments =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<EnvironmentKey, TaskEnvironment> eldest) {
          return size() > CACHED_TASKS;
        }
      };

  /**
   * Creates the context.
   *
   * @param settings how jobs are launched
   * @param spawn true to start processes with {@code posix_spawn} ({@link SpawnLauncher}),
   *     false with {@link ProcessBuilder}
   */
  public LaunchContext(LaunchSettings settings, boolean spawn) {
    this.settings = settings;
    this.spawn = spawn;
  }

  /** How jobs are launched. */
  public LaunchSettings settings() {
    return settings;
  }

  /** Whether processes are started with {@code posix_spawn}. */
  public boolean spawns() {
    return spawn;
  }

  /**
   * The output tail of a job running now.
   *
   * @param runId the run
   * @return its tail, or empty when it is not running here
   */
  public Optional<OutputTail> output(String runId) {
    return Optional.ofNullable(running.get(runId));
  }

  void started(String runId, OutputTail tail) {
    running.put(runId, tail);
  }

  void ended(String runId, OutputTail tail) {
    running.remove(runId, tail);
  }

  /**
   * A task's shared environment, worked out on its first job.
   *
   * @param task the task
   * @return its environment
   * @throws IllegalArgumentException if a variable cannot be in an environment
   */
  TaskEnvironment environment(TaskDefinition task) {
    EnvironmentKey key = new EnvironmentKey(task.name(), task.env());
    synchronized (environments) {
      TaskEnvironment known = environments.get(key);
      if (known != null) {
        return known;
      }
    }
    TaskEnvironment made = TaskEnvironment.of(System.getenv(), settings, task);
    synchronized (environments) {
      environments.put(key, made);
    }
    return made;
  }

  /** What a task's environment depends on. */
  private record EnvironmentKey(String task, Map<String, String> env) {}
}
