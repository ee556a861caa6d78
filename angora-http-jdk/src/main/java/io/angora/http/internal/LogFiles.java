package io.angora.http.internal;

import io.angora.api.TaskDefinition;
import io.angora.engine.TaskLogs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the tail of a task's log file, {@code <log>/<task>.log}. The path comes from the task's
 * definition only (never from a request) and must stay directly inside the log directory, so a
 * task name such as {@code ../x} cannot reach another file. Immutable, thread-safe.
 */
public final class LogFiles {
  private final Map<String, String> environment;
  private final int tailBytes;

  /**
   * Creates the reader.
   *
   * @param environment expands {@code $VAR} in log directories, as the executor does
   * @param tailBytes the most bytes returned
   */
  public LogFiles(Map<String, String> environment, int tailBytes) {
    this.environment = Map.copyOf(environment);
    this.tailBytes = tailBytes;
  }

  /**
   * The tail of a task's log file.
   *
   * @param task the task
   * @return the text, or empty when the task has no log or the file is missing or unsafe
   * @throws IOException when the file cannot be read
   */
  public Optional<String> tail(TaskDefinition task) throws IOException {
    Optional<Path> file = file(task);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.get().toFile(), "r")) {
      long length = in.length();
      long start = Math.max(0, length - tailBytes);
      byte[] bytes = new byte[(int) (length - start)];
      in.seek(start);
      in.readFully(bytes);
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /**
   * Where a task's log file is, when it is safely inside the task's log directory.
   *
   * @param task the task
   * @return the existing regular file, or empty
   * @throws IOException when the directory cannot be resolved
   */
  Optional<Path> file(TaskDefinition task) throws IOException {
    Optional<Path> resolved;
    try {
      resolved = TaskLogs.file(task, environment, null);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (resolved.isEmpty()) {
      return Optional.empty();
    }
    Path file = resolved.get();
    Path dir = file.getParent();
    if (dir == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    // The directory itself may be a symlink; the file must still resolve inside it.
    if (!file.toRealPath().getParent().equals(dir.toRealPath())) {
      return Optional.empty();
    }
    return Optional.of(file);
  }
}
