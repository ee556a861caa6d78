package io.angora.engine.internal.triggers;

import io.angora.api.FlowControl;
import io.angora.api.MessageText;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.api.WorkflowGraph;
import io.angora.engine.internal.graph.WorkflowGraphs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tasks in force, with everything derived from them: built once per (re)load, immutable,
 * swapped as a whole so a lookup never sees half a reload.
 *
 * @param tasks the tasks in definition order
 * @param byName the tasks by name
 * @param index the trigger index
 * @param parents task name to the names of its parent tasks
 * @param graph the workflow graph
 */
public record TaskSet(List<TaskDefinition> tasks, Map<String, TaskDefinition> byName,
    TriggerIndex index, Map<String, List<String>> parents, WorkflowGraph graph) {

  /**
   * Derives everything from a list of tasks.
   *
   * @param tasks tasks with unique names
   * @return the task set
   * @throws TaskLoadException on duplicate names (e.g. a task in code and in a file) or invalid
   *     triggers or messages of tasks defined in code
   */
  public static TaskSet of(List<TaskDefinition> tasks) {
    Map<String, TaskDefinition> byName = new LinkedHashMap<>();
    List<TaskError> errors = new ArrayList<>();
    for (TaskDefinition task : tasks) {
      String origin = Objects.requireNonNullElse(task.origin(), "<code>");
      TaskDefinition first = byName.putIfAbsent(task.name(), task);
      if (first != null) {
        errors.add(new TaskError(origin, 0, "name", "duplicate task name '" + task.name()
            + "', first defined at " + Objects.requireNonNullElse(first.origin(), "<code>")));
      }
      // Files are checked by their parser; tasks defined in code are checked here.
      for (int i = 0; i < task.triggers().size(); i++) {
        int at = i;
        MessageText.patternProblem(task.triggers().get(i)).ifPresent(problem -> errors.add(
            new TaskError(origin, 0, "triggers[" + at + "]", "task '" + task.name() + "': "
                + problem)));
      }
      for (int i = 0; i < task.messages().size(); i++) {
        int at = i;
        MessageText.messageProblem(task.messages().get(i)).ifPresent(problem -> errors.add(
            new TaskError(origin, 0, "messages[" + at + "]", "task '" + task.name() + "': "
                + problem)));
      }
      for (int i = 0; i < task.onFailure().size(); i++) {
        int at = i;
        MessageText.messageProblem(task.onFailure().get(i)).ifPresent(problem -> errors.add(
            new TaskError(origin, 0, "on_failure[" + at + "]", "task '" + task.name() + "': "
                + problem)));
      }
    }
    errors.addAll(groupDisagreements(tasks));
    if (!errors.isEmpty()) {
      throw new TaskLoadException(errors);
    }
    TriggerIndex index = TriggerIndex.build(tasks);
    return new TaskSet(List.copyOf(tasks), Map.copyOf(byName), index,
        Map.copyOf(WorkflowGraphs.parents(index)), WorkflowGraphs.of(index));
  }

  /**
   * The tasks that name a concurrency group with another limit than the first task naming it:
   * a group has one limit (the YAML source gives each task its groups file's).
   *
   * @param tasks the tasks
   * @return one error per disagreeing task
   */
  public static List<TaskError> groupDisagreements(List<TaskDefinition> tasks) {
    Map<String, TaskDefinition> first = new LinkedHashMap<>();
    List<TaskError> errors = new ArrayList<>();
    for (TaskDefinition task : tasks) {
      FlowControl.Group group = task.flow().group();
      if (group == null) {
        continue;
      }
      TaskDefinition earlier = first.putIfAbsent(group.name(), task);
      FlowControl.Group declared = earlier == null ? null : earlier.flow().group();
      if (declared != null && declared.limit() != group.limit()) {
        errors.add(new TaskError(Objects.requireNonNullElse(task.origin(), "<code>"), 0,
            "concurrency_group", "task '" + task.name() + "' gives concurrency group '"
            + group.name() + "' the limit " + group.limit() + ", task '" + earlier.name()
            + "' gives it " + declared.limit() + "; a group has one limit"));
      }
    }
    return errors;
  }

  /**
   * Looks a task up.
   *
   * @param name the name
   * @return the task, or empty
   */
  public Optional<TaskDefinition> task(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The parents of a task.
   *
   * @param name the task's name
   * @return names of the tasks whose messages trigger it
   */
  public List<String> parentsOf(String name) {
    return parents.getOrDefault(name, List.of());
  }
}
