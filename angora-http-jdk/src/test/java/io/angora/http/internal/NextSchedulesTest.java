package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class NextSchedulesTest {
  private final TaskDefinition a = TaskDefinition.builder("a").triggers("x").command("true")
      .build();
  private final TaskDefinition b = TaskDefinition.builder("b").triggers("y").command("true")
      .build();
  private final Instant early = Instant.parse("2026-11-30T09:00:00Z");
  private final Instant late = Instant.parse("2026-11-30T10:00:00Z");

  @Test
  void keepsTheEarliestFireTimePerTaskAndMatchesEachScheduleOnce() {
    List<String> matched = new ArrayList<>();
    Map<String, Instant> next = NextSchedules.byTask(List.of(
        status("late-x-y", "x.{HH}", late), status("early-x", "x.{HH}", early),
        status("paused", "y.{HH}", null)), message -> {
          matched.add(message);
          return message.equals("x.10") ? List.of(a, b)
              : message.startsWith("x") ? List.of(a) : List.of(b);
        });
    assertThat(next).containsOnly(Map.entry("a", early), Map.entry("b", late));
    // The expanded next message, once per active schedule; the paused one is not looked at.
    assertThat(matched).containsExactly("x.10", "x.09");
  }

  private static ScheduleStatus status(String name, String message,
      @Nullable Instant nextFire) {
    Schedule schedule = Schedule.builder(name).every(Duration.ofHours(1)).message(message)
        .build();
    return new ScheduleStatus(schedule, nextFire == null, nextFire, null, List.of());
  }
}
