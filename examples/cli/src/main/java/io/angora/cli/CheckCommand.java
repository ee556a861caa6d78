package io.angora.cli;

import io.angora.api.FlowControl;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.api.WorkflowGraph;
import io.angora.engine.YamlTaskSource;
import io.angora.engine.internal.graph.WorkflowGraphs;
import io.angora.engine.internal.triggers.TaskSet;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleCheck;
import io.angora.engine.schedule.YamlScheduleSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code angora check}: validates a task directory, its {@code schedules.yml} and
 * {@code groups.yml}, prints the workflow graph (with each task's flow keys and on-failure
 * messages), the concurrency groups and the tasks each schedule triggers.
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
    List<TaskError> disagreements = TaskSet.groupDisagreements(tasks);
    if (!disagreements.isEmpty()) {
      disagreements.forEach(err::println);
      return 1;
    }
    WorkflowGraph graph = WorkflowGraphs.of(tasks);
    Map<String, TaskDefinition> byName = new HashMap<>();
    tasks.forEach(t -> byName.put(t.name(), t));
    out.println(dir + ": " + tasks.size() + " tasks, " + graph.edges().size() + " message edges");
    for (WorkflowGraph.Node node : graph.nodes()) {
      TaskDefinition task = byName.get(node.task());
      out.println("  " + node.task() + (node.parentSuccess() ? "  [parent_success]" : "")
          + (task == null ? "" : flow(task.flow())));
      graph.edges().stream().filter(e -> e.from().equals(node.task()))
          .forEach(e -> out.println("    --" + e.message() + "--> " + e.to()
              + (e.sent() == WorkflowGraph.Sent.ON_FAILURE ? "  [on failure]" : "")));
    }
    if (!graph.entryPoints().isEmpty()) {
      out.println("Entry points (triggers no task sends; send these from outside):");
      graph.entryPoints().forEach(p -> out.println("  " + p.trigger() + "  -> " + p.task()));
    }
    warnUnmatched(graph, WorkflowGraph.Sent.ON_SUCCESS, "Warnings: messages no trigger matches:",
        "", out);
    warnUnmatched(graph, WorkflowGraph.Sent.ON_FAILURE,
        "Warnings: on_failure messages no trigger matches:", " on failure", out);
    Map<String, List<String>> groups = new TreeMap<>();
    Map<String, Integer> limits = new HashMap<>();
    for (TaskDefinition task : tasks) {
      FlowControl.Group group = task.flow().group();
      if (group != null) {
        groups.computeIfAbsent(group.name(), g -> new ArrayList<>()).add(task.name());
        limits.put(group.name(), group.limit());
      }
    }
    if (!groups.isEmpty()) {
      out.println("Concurrency groups:");
      groups.forEach((name, members) -> out.println("  " + name + ": at most "
          + limits.get(name) + " at once over " + String.join(", ", members)));
    }
    if (!graph.cycles().isEmpty()) {
      out.println("Warnings: cycles, through success or on_failure messages (a workflow may "
          + "never end):");
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

  private static void warnUnmatched(WorkflowGraph graph, WorkflowGraph.Sent sent, String title,
      String suffix, PrintStream out) {
    List<WorkflowGraph.Dangling> unmatched = graph.unmatchedMessages().stream()
        .filter(d -> d.sent() == sent).toList();
    if (!unmatched.isEmpty()) {
      out.println(title);
      unmatched.forEach(d -> out.println("  " + d.task() + " sends " + d.message() + suffix));
    }
  }

  /** The flow keys of a task as check shows them, e.g. {@code  [concurrency 1, rate 2/s]}. */
  private static String flow(FlowControl flow) {
    List<String> parts = new ArrayList<>();
    if (flow.concurrency() != FlowControl.NO_LIMIT) {
      parts.add("concurrency " + flow.concurrency());
    }
    FlowControl.Group group = flow.group();
    if (group != null) {
      parts.add("group " + group.name() + " (" + group.limit() + ")");
    }
    if (flow.overflow() == FlowControl.Overflow.SKIP) {
      parts.add("overflow skip");
    }
    FlowControl.Rate rate = flow.rate();
    if (rate != null) {
      parts.add("rate " + rate);
    }
    if (flow.priority() != 0) {
      parts.add("priority " + flow.priority());
    }
    return parts.isEmpty() ? "" : "  [" + String.join(", ", parts) + "]";
  }
}
