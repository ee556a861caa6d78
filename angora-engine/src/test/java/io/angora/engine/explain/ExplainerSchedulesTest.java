package io.angora.engine.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.engine.InMemoryRunStore;
import io.angora.engine.explain.Explanation.ScheduleState;
import io.angora.engine.explain.Explanation.ScheduleStep;
import io.angora.engine.schedule.Schedule;
import io.angora.tck.ForwardingRunStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Explain offline ({@code angora explain --tasks DIR [--store]}): the schedules that send a
 * message at a fixed moment, their pauses read from the store, and what is said without one.
 */
class ExplainerSchedulesTest {
  private static final Instant NOW = Instant.parse("2026-01-05T00:50:00Z");
  private static final Schedule TIME = Schedule.builder("time").cron("*/5 1-5 * * *")
      .message("time.{HHmm}").origin("schedules.yml:1").build();
  private static final Schedule OFF = Schedule.builder("off").cron("5 1 * * *")
      .message("time.0105").paused(true).build();
  private static final List<TaskDefinition> TASKS = List.of(
      TaskDefinition.builder("at_0105").triggers("time.0105").command("true").build(),
      TaskDefinition.builder("at_0110").triggers("time.0110").command("true").build(),
      TaskDefinition.builder("before").triggers("go.before").command("true")
          .messages("time.0110").build());

  @Test
  void anActiveScheduleSendsTheMessageAtTheNextFireTimeWhoseTemplateGivesIt() {
    RunStore store = new InMemoryRunStore();

    Explanation explained = Explainer.of(TASKS, List.of(TIME, OFF), store, NOW)
        .explain("time.0105", null, 1);

    assertThat(explained.schedules()).extracting(ScheduleStep::schedule, ScheduleStep::state,
        ScheduleStep::nextFire, ScheduleStep::nextSends).containsExactly(
        tuple("time", ScheduleState.ACTIVE, Instant.parse("2026-01-05T01:00:00Z"),
            Instant.parse("2026-01-05T01:05:00Z")),
        tuple("off", ScheduleState.PAUSED_IN_FILE, null, null));
    assertThat(explained.schedules().get(0).timing()).isEqualTo("cron \"*/5 1-5 * * *\"");
    assertThat(explained.schedules().get(0).origin()).isEqualTo("schedules.yml:1");
    assertThat(explained.root().tasks().get(0).pausedSchedules()).isEmpty();
    assertThat(explained.notes()).isEmpty();
  }

  @Test
  void aPauseInTheStoreLeavesATaskOnlyPausedSchedulesReach() {
    RunStore store = new InMemoryRunStore();
    store.setSchedulePaused("time", true);
    Explainer explainer = Explainer.of(TASKS, List.of(TIME, OFF), store, NOW);

    Explanation explained = explainer.explain("time.0105", null, 1);

    assertThat(explained.schedules()).extracting(ScheduleStep::state)
        .containsExactly(ScheduleState.PAUSED, ScheduleState.PAUSED_IN_FILE);
    assertThat(explained.root().tasks().get(0).pausedSchedules()).containsExactly("time", "off");
    assertThat(explained.root().tasks().get(0).holds()).isEmpty();
    // Another task sends time.0110: its task is reached whatever the schedules do.
    assertThat(explainer.explain("time.0110", null, 1).root().tasks().get(0)
        .pausedSchedules()).isEmpty();
    // A manual run of a task only paused schedules reach says so too.
    assertThat(explainer.explainRun("at_0105", 1).root().tasks().get(0).pausedSchedules())
        .containsExactly("time", "off");
  }

  @Test
  void withoutAStoreKeepingScheduleStateAPauseAtRunTimeIsNotSeenAndSaidSo() {
    RunStore bare = new ForwardingRunStore(new InMemoryRunStore()) { };

    for (RunStore store : java.util.Arrays.asList(null, bare)) {
      Explanation explained = Explainer.of(TASKS, List.of(TIME), store, NOW)
          .explain("time.0105", null, 1);

      assertThat(explained.schedules()).extracting(ScheduleStep::state)
          .containsExactly(ScheduleState.ACTIVE);
      assertThat(explained.notes()).anyMatch(n -> n.contains("a schedule paused at run time"));
    }
    // Nothing about schedules to say: no note.
    assertThat(Explainer.of(TASKS, List.of(TIME), null, NOW).explain("go.before", null, 1)
        .notes()).isEmpty();
  }
}
