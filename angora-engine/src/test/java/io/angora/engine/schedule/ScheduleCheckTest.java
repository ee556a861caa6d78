package io.angora.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleCheckTest {
  private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");

  private static TaskDefinition task(String name, String trigger) {
    return TaskDefinition.builder(name).triggers(trigger).command("true").build();
  }

  @Test
  void listsTheTasksEachScheduleTriggersAndWarnsAboutNone() {
    List<Schedule> schedules = List.of(
        Schedule.builder("nightly").cron("5 1 * * *").zone(ZoneId.of("Europe/Paris"))
            .message("time.{HHmm}").origin("tasks/schedules.yml:1").build(),
        Schedule.builder("half").every(Duration.ofMinutes(30)).message("time.{HHmm}").build(),
        Schedule.builder("lonely").cron("@daily").message("nobody.listens")
            .origin("tasks/schedules.yml:9").build());
    List<TaskDefinition> tasks = List.of(task("backup", "time.0105"), task("other", "other.*"),
        task("half_past", "time.1030"));

    ScheduleCheck.Report report = ScheduleCheck.describe(schedules, tasks, NOW);

    assertThat(report.lines()).hasSize(3);
    assertThat(report.lines().get(0)).isEqualTo("nightly: cron \"5 1 * * *\" Europe/Paris, "
        + "next 2026-12-01T01:05+01:00, sends time.0105 -> backup");
    assertThat(report.lines().get(1))
        .startsWith("half: every 30m UTC, next 2026-11-30T09:30Z, sends time.0930 time.1000 "
            + "time.1030 ... (48 messages) -> ")
        .endsWith("-> half_past");
    assertThat(report.lines().get(2)).endsWith("sends nobody.listens -> no task");
    assertThat(report.warnings()).containsExactly("schedule 'lonely' (tasks/schedules.yml:9) "
        + "triggers no task: no trigger matches its message nobody.listens");
  }

  @Test
  void pausedSchedulesSaySo() {
    ScheduleCheck.Report report = ScheduleCheck.describe(List.of(Schedule.builder("p")
        .cron("@hourly").message("p").paused(true).build()), List.of(task("t", "p")), NOW);
    assertThat(report.lines()).singleElement().asString().contains("(paused)").endsWith("-> t");
    assertThat(report.warnings()).isEmpty();
  }
}
