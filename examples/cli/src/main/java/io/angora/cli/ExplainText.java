package io.angora.cli;

import io.angora.engine.explain.Explanation;
import io.angora.engine.explain.Explanation.Hold;
import io.angora.engine.explain.Explanation.ScheduleStep;
import io.angora.engine.explain.Explanation.Step;
import io.angora.engine.explain.Explanation.TaskStep;
import java.util.Locale;
import java.util.Objects;

/** An {@link Explanation} as text for a terminal: a tree, two spaces a level. Stateless. */
final class ExplainText {
  private ExplainText() {}

  static String render(Explanation explained) {
    StringBuilder out = new StringBuilder();
    Step root = explained.root();
    out.append(root.message());
    if (root.via() != Explanation.Via.MANUAL) {
      out.append(explained.workflowId() == null ? " (a new workflow)"
          : " (in workflow " + explained.workflowId()
              + (explained.unknownWorkflow() ? ", which the run store does not know" : "")
              + ")");
    }
    if (root.tasks().isEmpty()) {
      out.append(" triggers no task").append(nearest(root)).append('\n');
    } else {
      int n = root.tasks().size();
      out.append(root.via() == Explanation.Via.MANUAL ? " runs " : " triggers ").append(n)
          .append(n == 1 ? " task" : " tasks").append(":\n");
      root.tasks().forEach(task -> task(task, 1, true, out));
    }
    explained.schedules().forEach(schedule -> schedule(schedule, out));
    explained.notes().forEach(note -> out.append("note: ").append(note).append('\n'));
    return out.toString();
  }

  private static void schedule(ScheduleStep schedule, StringBuilder out) {
    out.append("sent by schedule ").append(schedule.schedule()).append(" (")
        .append(schedule.timing()).append(' ').append(schedule.zone()).append(", message ")
        .append(schedule.template())
        .append(schedule.origin() == null ? "" : ", " + schedule.origin()).append("): ")
        .append(switch (schedule.state()) {
          case ACTIVE -> "active, sends it next at " + schedule.nextSends()
              + (Objects.equals(schedule.nextFire(), schedule.nextSends()) ? ""
                  : " (next fire " + schedule.nextFire() + ")");
          case PAUSED -> "PAUSED at run time (API or UI): sends nothing until resumed";
          case PAUSED_IN_FILE -> "PAUSED in its file (paused: true): sends nothing until that "
              + "line is removed and the schedules reloaded";
        }).append('\n');
  }

  private static void task(TaskStep task, int level, boolean now, StringBuilder out) {
    String indent = "  ".repeat(level);
    out.append(indent).append(task.task());
    if (task.match() != Explanation.Match.MANUAL) {
      out.append("  by trigger ").append(task.trigger()).append(" (")
          .append(task.match().name().toLowerCase(Locale.ROOT)).append(')');
    }
    switch (task.repeat()) {
      case SHOWN_ELSEWHERE -> out.append("  (shown in full elsewhere in this explanation)");
      case CYCLE -> out.append("  (cycle: it led here; not followed again)");
      default -> { }
    }
    out.append('\n');
    for (Hold hold : task.holds()) {
      out.append(indent).append("  HELD BACK (").append(hold.kind().name()
          .toLowerCase(Locale.ROOT)).append("): ").append(hold.reason()).append('\n');
    }
    if (now && task.holds().isEmpty() && task.repeat() == Explanation.Repeat.NO) {
      out.append(indent).append("  nothing holds it back").append('\n');
    }
    if (!task.pausedSchedules().isEmpty()) {
      boolean one = task.pausedSchedules().size() == 1;
      out.append(indent).append("  NOT SCHEDULED: only paused schedule").append(one ? " " : "s ")
          .append(String.join(", ", task.pausedSchedules())).append(one ? " reaches" : " reach")
          .append(" it; none triggers it until resumed").append('\n');
    }
    for (String condition : task.conditions()) {
      out.append(indent).append("  - ").append(condition).append('\n');
    }
    for (Step next : task.next()) {
      out.append(indent).append(next.via() == Explanation.Via.FAILURE ? "  on failure sends "
          : "  on success sends ").append(next.message());
      if (!next.followed()) {
        out.append("  (not followed: --depth)\n");
      } else if (next.tasks().isEmpty()) {
        out.append(": triggers no task").append(nearest(next)).append('\n');
      } else {
        out.append('\n');
        next.tasks().forEach(t -> task(t, level + 2, false, out));
      }
    }
  }

  private static String nearest(Step step) {
    return step.nearestTrigger() == null ? ""
        : "; the nearest trigger is '" + step.nearestTrigger() + "'";
  }
}
