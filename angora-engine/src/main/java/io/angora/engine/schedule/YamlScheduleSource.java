package io.angora.engine.schedule;

import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads schedules from a YAML file, {@code schedules.yml} in the task directory by default (the
 * task source skips that file). The format is described in {@code SCHEDULES.md}:
 *
 * <pre>
 * - name: nightly                # optional; default: the message without its braces
 *   cron: "5 1 * * 1-5"          # five fields or @daily-style shorthand; or:
 *   every: 30m                   # fixed interval (s, m, h, d, or a number of seconds)
 *   zone: Europe/Paris           # optional, default UTC
 *   message: time.{HHmm}         # required; placeholders for the fire time
 *   payload: some text           # optional
 *   misfire: skip                # optional: skip (default) or fire_once
 *   paused: false                # optional
 * </pre>
 *
 * <p>A missing file holds no schedules. Parsing is strict: every error is reported with file,
 * line and field, all together in one {@link TaskLoadException}. Immutable and thread-safe;
 * each {@link #load()} reads the file anew.
 */
public final class YamlScheduleSource implements ScheduleSource {
  private final @Nullable Path file;
  private final @Nullable Path directory;

  private YamlScheduleSource(@Nullable Path file, @Nullable Path directory) {
    this.file = file;
    this.directory = directory;
  }

  /**
   * A source reading one file; a missing file holds no schedules.
   *
   * @param file the file
   * @return the source
   */
  public static YamlScheduleSource file(Path file) {
    return new YamlScheduleSource(Objects.requireNonNull(file, "file"), null);
  }

  /**
   * A source reading {@code schedules.yml} (or {@code schedules.yaml}) of a task directory;
   * neither file means no schedules, both is an error.
   *
   * @param directory the task directory
   * @return the source
   */
  public static YamlScheduleSource inDirectory(Path directory) {
    return new YamlScheduleSource(null, Objects.requireNonNull(directory, "directory"));
  }

  /**
   * Parses the text of a schedules file.
   *
   * @param fileName the name to use in errors and origins
   * @param yaml the file's text
   * @return the schedules, in file order
   * @throws TaskLoadException with every error found
   */
  public static List<Schedule> parse(String fileName, String yaml) {
    return new ScheduleYamlParser(fileName).parse(yaml);
  }

  @Override
  public List<Schedule> load() {
    Path path = file;
    if (path == null) {
      Path dir = Objects.requireNonNull(directory, "directory");
      Path yml = dir.resolve("schedules.yml");
      Path yaml = dir.resolve("schedules.yaml");
      if (Files.exists(yml) && Files.exists(yaml)) {
        throw new TaskLoadException(List.of(new TaskError(yaml.toString(), 0, "",
            "both schedules.yml and schedules.yaml exist; keep one")));
      }
      path = Files.exists(yaml) ? yaml : yml;
    }
    if (!Files.exists(path)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(path);
    } catch (CharacterCodingException e) {
      throw new TaskLoadException(List.of(new TaskError(path.toString(), 0, "",
          "not valid UTF-8 text")));
    } catch (IOException e) {
      throw new TaskLoadException(List.of(new TaskError(path.toString(), 0, "",
          "cannot read: " + e)));
    }
    return parse(path.toString(), text);
  }

  @Override
  public String description() {
    return file != null ? "schedules in " + file
        : "schedules.yml in " + directory;
  }

  @Override
  public String toString() {
    return description();
  }
}
