package io.angora.engine.internal.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Opens {@code <log>/<task>.log}, the file a task's standard output is appended to. */
public final class LogFile {
  /**
   * Append, create when missing, and never through a symbolic link: a link planted where the
   * log file belongs would make Angora write wherever it points ({@code O_NOFOLLOW}).
   */
  private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.CREATE,
      StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  /** Output may hold what jobs print about their data: not for every local user. */
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_AND_GROUP =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));

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
   * Opens a log file for appending, creating it (mode {@code 0640}, less by the umask) and its
   * directories when missing. A symbolic link or anything but a regular file in its place is
   * refused, not followed.
   *
   * @param file the file from {@link #resolve}
   * @return a stream appending to it; the caller closes it
   * @throws IOException if the directory or file cannot be created or opened, or the file is a
   *     symbolic link or not a regular file
   */
  public static OutputStream openForAppend(Path file) throws IOException {
    Path dir = file.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    try {
      // Checked first so that a planted FIFO cannot block the open; O_NOFOLLOW below closes the
      // race with a link planted in between.
      BasicFileAttributes found =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!found.isRegularFile()) {
        throw new IOException(file + " is " + (found.isSymbolicLink() ? "a symbolic link"
            : "not a regular file") + "; a log file is never written through one");
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // created below
    }
    try {
      return Channels.newOutputStream(Files.newByteChannel(file, APPEND, OWNER_AND_GROUP));
    } catch (java.nio.file.FileSystemException e) {
      if (Files.isSymbolicLink(file)) {
        throw new IOException(file + " is a symbolic link; a log file is never written through"
            + " one", e);
      }
      throw e;
    }
  }
}
