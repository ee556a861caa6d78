package io.angora.engine;

import io.angora.api.TaskDefinition;
import io.angora.engine.internal.process.CommandLine;
import io.angora.engine.internal.process.LogFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a task's log file is, {@code <log>/<task>.log}: the one place that expands a
 * {@code log} directory and resolves the file, used by the executor that writes it and by
 * whoever reads it (the web API). Stateless, thread-safe.
 */
public final class TaskLogs {
  private TaskLogs() {}

  /**
   * The log file of a task.
   *
   * @param task the task
   * @param environment Angora's own environment, which {@code $VAR} in the directory is
   *     expanded from (never a job's: that holds the sender's values)
   * @param base the jobs' working directory, which a relative directory is taken from, or null
   *     for the current one
   * @return the file, or empty when the task has no {@code log}
   * @throws IllegalArgumentException when the directory is not a path or the file would not be
   *     directly inside it
   */
  public static Optional<Path> file(TaskDefinition task, Map<String, String> environment,
      @Nullable Path base) {
    String directory = task.log();
    if (directory == null) {
      return Optional.empty();
    }
    return Optional.of(LogFile.resolve(CommandLine.expand(directory, environment), task.name(),
        base));
  }
}
