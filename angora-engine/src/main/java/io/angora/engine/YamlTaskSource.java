package io.angora.engine;

import io.angora.api.FlowControl;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.api.TaskSource;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads tasks from the YAML files of a directory: every {@code *.yml} and {@code *.yaml} file
 * directly in it (not in subdirectories), in name order. Skipped: files whose name starts with
 * a dot (editor lock files, macOS metadata), {@code schedules.yml} / {@code schedules.yaml},
 * which are reserved for schedules, and {@code groups.yml} / {@code groups.yaml}, which declare
 * the concurrency groups ({@code - name: db} with {@code concurrency: 2}) that tasks name in
 * {@code concurrency_group}.
 *
 * <p>Each file holds a list of tasks:
 *
 * <pre>
 * - name: step_1                 # required, unique across all files
 *   triggers: [example.step.1]   # required: a pattern or a list of them
 *   command: echo "HELLO"        # required
 *   log: $HOME/angora/logs/      # optional directory
 *   messages: [example.step.2]   # optional: a message or a list of them
 *   replay: 3                    # optional, 0 or more; left out = without limit
 *   parent_success: true         # optional, default false
 *   timeout: 10m                 # optional: 500ms, 30s, 10m, 2h or a number of seconds
 *   env: {KEY: value}            # optional
 *   on_failure: [example.failed] # optional: sent when a run failed with no replay left
 *   concurrency: 1               # optional: at most so many runs at once
 *   concurrency_group: db        # optional: a group of groups.yml, its limit shared
 *   overflow: skip               # optional: queue (default) or skip, over a concurrency limit
 *   rate: 10/min                 # optional: at most N starts per s, min, h or d
 *   priority: 5                  # optional: 0 (default) to 9, among waiting runs
 * </pre>
 *
 * <p>Parsing is strict: an unknown key, a value of the wrong type, a missing or empty required
 * field, a duplicate name (also across files), an invalid trigger or message and a YAML syntax
 * error are each reported with file, line and field, and all errors of a load come together in
 * one {@link TaskLoadException}. An empty file, or a directory without task files, holds no
 * tasks. Each task's {@link TaskDefinition#origin()} is {@code file:line}, the file being the
 * directory as given joined with the file name.
 *
 * <p>Immutable and thread-safe; each {@link #load()} reads the files anew.
 */
public final class YamlTaskSource implements TaskSource {
  private static final List<String> RESERVED = List.of("schedules.yml", "schedules.yaml",
      "groups.yml", "groups.yaml");

  private final Path directory;

  private YamlTaskSource(Path directory) {
    this.directory = directory;
  }

  /**
   * A source reading the task files of a directory.
   *
   * @param directory the directory; it is read by {@link #load()}, not here
   * @return the source
   */
  public static YamlTaskSource directory(Path directory) {
    return new YamlTaskSource(Objects.requireNonNull(directory, "directory"));
  }

  /**
   * Parses the text of one task file, as {@link #load()} would parse a file of that name.
   *
   * @param fileName the name to use in errors and origins
   * @param yaml the file's text
   * @return the tasks, in file order
   * @throws TaskLoadException with every error found
   */
  public static List<TaskDefinition> parse(String fileName, String yaml) {
    YamlTaskParser parser = new YamlTaskParser();
    parser.parse(fileName, yaml);
    return parser.result();
  }

  /**
   * Returns the directory this source reads.
   *
   * @return the directory as given
   */
  public Path directory() {
    return directory;
  }

  /**
   * Reads every task file of the directory.
   *
   * @return the tasks of all files, by file name and then position in the file
   * @throws TaskLoadException with every error of every file, or naming the directory when it
   *     is missing or cannot be read
   */
  @Override
  public List<TaskDefinition> load() {
    String where = directory.toString();
    if (!Files.isDirectory(directory)) {
      throw new TaskLoadException(List.of(new TaskError(where, 0, "", Files.exists(directory)
          ? "not a directory; expected a directory of task files"
          : "task directory does not exist")));
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(directory)) {
      files = entries.filter(YamlTaskSource::isTaskFile)
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new TaskLoadException(List.of(
          new TaskError(where, 0, "", "cannot list the task directory: " + e)));
    }
    List<TaskError> groupErrors = new ArrayList<>();
    Map<String, FlowControl.Group> groups = ConcurrencyGroups.load(directory, groupErrors);
    YamlTaskParser parser = new YamlTaskParser(groups,
        ConcurrencyGroups.file(directory).toString());
    groupErrors.forEach(parser::fileError);
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (CharacterCodingException e) {
        parser.fileError(new TaskError(file.toString(), 0, "", "not valid UTF-8 text"));
        continue;
      } catch (IOException e) {
        parser.fileError(new TaskError(file.toString(), 0, "", "cannot read: " + e));
        continue;
      }
      parser.parse(file.toString(), text);
    }
    return parser.result();
  }

  /**
   * Describes this source.
   *
   * @return the directory, e.g. {@code "YAML task files in tasks"}
   */
  @Override
  public String description() {
    return "YAML task files in " + directory;
  }

  private static boolean isTaskFile(Path path) {
    String name = path.getFileName().toString();
    return (name.endsWith(".yml") || name.endsWith(".yaml"))
        && !name.startsWith(".")
        && !RESERVED.contains(name)
        && Files.isRegularFile(path);
  }

  @Override
  public String toString() {
    return description();
  }
}
