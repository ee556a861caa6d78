package io.angora.cli;

import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.api.WorkflowGraph;
import io.angora.engine.YamlTaskSource;
import io.angora.engine.internal.graph.WorkflowGraphs;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleCheck;
import io.angora.engine.schedule.YamlScheduleSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code angora check}: validates a task directory and its {@code schedules.yml}, prints the
 * workflow graph and the tasks each schedule triggers.
 */
final class CheckCommand {
  private CheckCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    Args args = Args.parse(argv, Set.of("tasks"), Set.of());
    Path dir = Path.of(args.get("tasks", args.positional().isEmpty() ? "tasks"
        : args.positional().get(0)));
    List<TaskError> errors = new ArrayList<>();
    List<TaskDefinition> tasks = List.of();
    List<Schedule> schedules = List.of();
    try {
      tasks = YamlTaskSource.directory(dir).load();
    } catch (TaskLoadException e) {
      errors.addAll(e.errors());
    }
    try {
      schedules = YamlScheduleSource.inDirectory(dir).load();
    } catch (TaskLoadException e) {
      errors.addAll(e.errors());
    }
    if (!errors.isEmpty()) {
      for (TaskError error : errors) {
        err.println(error);
      }
      err.println(dir + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
      return 1;
    }
    WorkflowGraph graph = WorkflowGraphs.of(tasks);
    out.println(dir + ": " + tasks.size() + " tasks, " + graph.edges().size() + " message edges");
    for (WorkflowGraph.Node node : graph.nodes()) {
      out.println("  " + node.task() + (node.parentSuccess() ? "  [parent_success]" : ""));
      graph.edges().stream().filter(e -> e.from().equals(node.task()))
          .forEach(e -> out.println("    --" + e.message() + "--> " + e.to()));
    }
    if (!graph.entryPoints().isEmpty()) {
      out.println("Entry points (triggers no task sends; send these from outside):");
      graph.entryPoints().forEach(p -> out.println("  " + p.trigger() + "  -> " + p.task()));
    }
    if (!graph.unmatchedMessages().isEmpty()) {
      out.println("Warnings: messages no trigger matches:");
      graph.unmatchedMessages().forEach(d -> out.println("  " + d.task() + " sends "
          + d.message()));
    }
    if (!graph.cycles().isEmpty()) {
      out.println("Warnings: cycles (a workflow may never end):");
      graph.cycles().forEach(c -> out.println("  " + String.join(" -> ", c)));
    }
    if (!schedules.isEmpty()) {
      ScheduleCheck.Report report = ScheduleCheck.describe(schedules, tasks, Instant.now());
      out.println("Schedules (" + schedules.size() + "):");
      report.lines().forEach(line -> out.println("  " + line));
      if (!report.warnings().isEmpty()) {
        out.println("Warnings: schedules that trigger no task:");
        report.warnings().forEach(w -> out.println("  " + w));
      }
    }
    return 0;
  }
}
