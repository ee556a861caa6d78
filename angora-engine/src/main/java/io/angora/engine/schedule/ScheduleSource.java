package io.angora.engine.schedule;

import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where schedules come from: the {@code schedules.yml} file of a task directory, code, a
 * database. Implementations are safe to call from any thread; each call reads the source anew.
 */
public interface ScheduleSource {

  /**
   * Reads every schedule.
   *
   * @return the schedules, names unique
   * @throws TaskLoadException with every problem found (file, line and field); the caller keeps
   *     the schedules it had
   */
  List<Schedule> load();

  /**
   * Describes the source for messages and logs.
   *
   * @return e.g. the file it reads
   */
  String description();

  /**
   * A source of a fixed list of schedules, e.g. defined in code.
   *
   * @param schedules the schedules
   * @return a source that always returns them
   * @throws IllegalArgumentException when two schedules share a name
   */
  static ScheduleSource of(List<Schedule> schedules) {
    List<Schedule> copy = List.copyOf(schedules);
    Set<String> names = new HashSet<>();
    List<TaskError> duplicates = new ArrayList<>();
    for (Schedule schedule : copy) {
      if (!names.add(schedule.name())) {
        duplicates.add(new TaskError(Objects.requireNonNullElse(schedule.origin(), "<code>"), 0,
            "name", "duplicate schedule name '" + schedule.name() + "'"));
      }
    }
    if (!duplicates.isEmpty()) {
      throw new TaskLoadException(duplicates);
    }
    return new ScheduleSource() {
      @Override
      public List<Schedule> load() {
        return copy;
      }

      @Override
      public String description() {
        return "<code>";
      }
    };
  }
}
