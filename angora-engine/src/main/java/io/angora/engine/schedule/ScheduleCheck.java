package io.angora.engine.schedule;

import io.angora.api.TaskDefinition;
import io.angora.engine.internal.triggers.TriggerIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Describes schedules against tasks, for {@code angora check}: for each schedule, its timing,
 * next fire time, the messages its next fire times send and the tasks they trigger; a schedule
 * whose messages trigger no task is a warning. Stateless and thread-safe.
 */
public final class ScheduleCheck {
  /**
   * How many upcoming fire times are looked at, here and by explain: enough for
   * {@code time.{HHmm}} patterns.
   */
  public static final int SAMPLES = 48;

  private ScheduleCheck() {}

  /**
   * What a check found.
   *
   * @param lines one line per schedule, for people
   * @param warnings schedules that trigger nothing, one line each
   */
  public record Report(List<String> lines, List<String> warnings) {
    /** Copies the lists. */
    public Report {
      lines = List.copyOf(lines);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Describes schedules.
   *
   * @param schedules the schedules (already valid: they come from a {@link ScheduleSource})
   * @param tasks the tasks in force
   * @param now the time to count upcoming fire times from
   * @return the lines and warnings
   */
  public static Report describe(List<Schedule> schedules, List<TaskDefinition> tasks,
      Instant now) {
    TriggerIndex index = TriggerIndex.build(tasks);
    List<String> lines = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Schedule schedule : schedules) {
      Optional<Instant> next = schedule.nextAfter(now);
      Set<String> messages = schedule.upcomingMessages(now, SAMPLES).keySet();
      Set<String> triggered = new LinkedHashSet<>();
      messages.forEach(text -> index.match(text).forEach(task -> triggered.add(task.name())));
      StringBuilder line = new StringBuilder(schedule.name()).append(": ")
          .append(schedule.timing().describe()).append(' ').append(schedule.zone().getId())
          .append(", next ").append(next.map(t -> t.atZone(schedule.zone()).toOffsetDateTime()
              .toString()).orElse("never"))
          .append(schedule.paused() ? " (paused)" : "")
          .append(", sends ").append(messages.isEmpty() ? schedule.message()
              : String.join(" ", messages.stream().limit(3).toList())
                  + (messages.size() > 3 ? " ... (" + messages.size() + " messages)" : ""))
          .append(" -> ").append(triggered.isEmpty() ? "no task" : String.join(", ", triggered));
      lines.add(line.toString());
      if (triggered.isEmpty()) {
        warnings.add("schedule '" + schedule.name() + "'"
            + (schedule.origin() == null ? "" : " (" + schedule.origin() + ")")
            + " triggers no task: no trigger matches "
            + (messages.size() == 1 ? "its message " + messages.iterator().next()
                : "its next " + SAMPLES + " messages"));
      }
    }
    return new Report(lines, warnings);
  }
}
