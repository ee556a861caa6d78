package io.angora.http.internal;

import io.angora.api.TaskDefinition;
import io.angora.engine.schedule.ScheduleStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * For each task, the earliest next fire time among the schedules whose next message triggers
 * it: the {@code nextSchedule} of {@code GET /api/tasks}. Each active schedule's next message is
 * matched once, so a listing costs one trigger look-up per schedule whatever the number of
 * tasks. Only the next message counts: a schedule whose message varies with the fire time
 * ({@code time.{HHmm}}) is credited to the tasks its very next message triggers. Stateless.
 */
final class NextSchedules {
  private NextSchedules() {}

  /**
   * Maps task names to their next scheduled fire time.
   *
   * @param schedules the schedules in force; paused ones have no next fire time and count not
   * @param triggeredBy the tasks a message triggers
   * @return task name to the earliest next fire time; tasks no schedule triggers are absent
   */
  static Map<String, Instant> byTask(List<ScheduleStatus> schedules,
      Function<String, List<TaskDefinition>> triggeredBy) {
    Map<String, Instant> next = new HashMap<>();
    for (ScheduleStatus status : schedules) {
      Instant fire = status.nextFire();
      if (fire == null) {
        continue;
      }
      for (TaskDefinition task : triggeredBy.apply(status.schedule().messageAt(fire))) {
        next.merge(task.name(), fire, (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    return next;
  }
}
