package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleCheck;
import io.angora.engine.schedule.YamlScheduleSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repository's own schedules load and each triggers a task of the example tasks. */
class ExampleSchedulesTest {
  private static final Path TASKS = Path.of("..", "tasks");

  @Test
  void everyExampleScheduleTriggersATask() {
    List<Schedule> schedules = YamlScheduleSource.inDirectory(TASKS).load();
    List<TaskDefinition> tasks = YamlTaskSource.directory(TASKS).load();

    ScheduleCheck.Report report = ScheduleCheck.describe(schedules, tasks,
        Instant.parse("2026-11-30T00:00:00Z"));

    assertThat(schedules).extracting(Schedule::name).containsExactly("time", "interval.30");
    assertThat(report.warnings()).isEmpty();
    assertThat(report.lines()).anySatisfy(l -> assertThat(l).endsWith("-> at_0105"))
        .anySatisfy(l -> assertThat(l).endsWith("-> every_30_minutes"));
  }
}
