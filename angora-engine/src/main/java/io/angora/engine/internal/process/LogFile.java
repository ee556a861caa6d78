package io.angora.engine.internal.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/** Opens {@code <log>/<task>.log}, the file a task's standard output is appended to. */
public final class LogFile {

  private LogFile() {}

  /**
   * Resolves the log file of a task: the directory (variables already expanded; relative to
   * {@code base} when relative) and a file name made of the task's name. The name must keep the
   * file inside the directory.
   *
   * @param directory the task's {@code log} directory, variables expanded
   * @param task the task's name
   * @param base the job's working directory, or null for the worker's
   * @return the file
   * @throws IllegalArgumentException if the directory is not a path or the file would not be
   *     directly inside it; the message names the task
   */
  public static Path resolve(String directory, String task, @Nullable Path base) {
    if (task.contains("/") || task.contains("..") || task.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("task '" + task + "': cannot log to '" + directory
          + "': a task name used as a log file name must not contain '/' or '..'");
    }
    Path dir;
    try {
      dir = Path.of(directory);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "task '" + task + "': log directory '" + directory + "' is not a path: " + e.getReason(),
          e);
    }
    if (base != null) {
      dir = base.resolve(dir);
    }
    dir = dir.toAbsolutePath().normalize();
    Path file = dir.resolve(task + ".log").normalize();
    if (!dir.equals(file.getParent())) {
      throw new IllegalArgumentException("task '" + task + "': log file " + file
          + " would not be inside the log directory " + dir);
    }
    return file;
  }

  /**
   * Opens a log file for appending, creating it and its directories when missing.
   *
   * @param file the file from {@link #resolve}
   * @return a stream appending to it; the caller closes it
   * @throws IOException if the directory or file cannot be created or opened
   */
  public static OutputStream openForAppend(Path file) throws IOException {
    Path dir = file.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }
}
