package io.angora.engine.internal.graph;

import io.angora.api.TaskDefinition;
import io.angora.api.WorkflowGraph;
import io.angora.engine.internal.triggers.TriggerIndex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the static shape of workflows from a task set: which task's messages trigger which
 * task, cycles, messages nobody consumes, and the triggers where workflows start. Edges are
 * found through a {@link TriggerIndex}, so the cost grows with the number of messages and
 * edges, not with the square of the number of tasks. Stateless and thread-safe.
 */
public final class WorkflowGraphs {
  /** The most cycles listed: their number can grow exponentially with the graph's density. */
  public static final int MAX_CYCLES = 1_000;

  private WorkflowGraphs() {}

  /**
   * Builds the workflow graph of a task set.
   *
   * @param tasks the tasks, names unique; nodes, edges and warnings follow their order
   * @return the graph: an edge {@code A -> B} for each message of A (on success, then on
   *     failure) that matches a trigger of B; each elementary cycle once, through either kind of
   *     edge (at most {@link #MAX_CYCLES}), starting at its earliest
   *     task, self-loops included; the messages no trigger matches; the triggers no message
   *     matches (entry points)
   * @throws IllegalArgumentException when a trigger is not a valid pattern
   */
  public static WorkflowGraph of(List<TaskDefinition> tasks) {
    return of(TriggerIndex.build(tasks));
  }

  /**
   * Builds the workflow graph of the tasks of an index, reusing the index.
   *
   * @param index the index of the tasks, names unique
   * @return the graph, as {@link #of(List)} describes it
   */
  public static WorkflowGraph of(TriggerIndex index) {
    Map<TaskDefinition, Integer> position = positions(index.tasks());
    int n = index.tasks().size();
    List<WorkflowGraph.Node> nodes = new ArrayList<>(n);
    List<WorkflowGraph.Edge> edges = new ArrayList<>();
    List<WorkflowGraph.Dangling> unmatched = new ArrayList<>();
    List<Set<Integer>> successors = new ArrayList<>(n);
    boolean[][] reached = new boolean[n][];
    for (TaskDefinition task : index.tasks()) {
      nodes.add(new WorkflowGraph.Node(task.name(), task.triggers(), task.messages(),
          task.parentSuccess(), task.onFailure()));
      successors.add(new LinkedHashSet<>());
      reached[successors.size() - 1] = new boolean[task.triggers().size()];
    }
    for (int from = 0; from < n; from++) {
      TaskDefinition sender = index.tasks().get(from);
      for (WorkflowGraph.Sent sent : WorkflowGraph.Sent.values()) {
        List<String> messages = sent == WorkflowGraph.Sent.ON_SUCCESS ? sender.messages()
            : sender.onFailure();
        for (String message : new LinkedHashSet<>(messages)) {
          List<TaskDefinition> receivers = index.match(message);
          if (receivers.isEmpty()) {
            unmatched.add(new WorkflowGraph.Dangling(sender.name(), message, sent));
          }
          for (TaskDefinition receiver : receivers) {
            int to = position.get(receiver);
            edges.add(new WorkflowGraph.Edge(sender.name(), receiver.name(), message, sent));
            // Cycles go through failure edges too: a failure path can loop like any other.
            successors.get(from).add(to);
            markReached(receiver, message, reached[to]);
          }
        }
      }
    }
    List<WorkflowGraph.EntryPoint> entryPoints = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TaskDefinition task = index.tasks().get(i);
      for (int t = 0; t < task.triggers().size(); t++) {
        if (!reached[i][t]) {
          entryPoints.add(new WorkflowGraph.EntryPoint(task.name(), task.triggers().get(t)));
        }
      }
    }
    return new WorkflowGraph(nodes, edges, cycles(index.tasks(), successors), unmatched,
        entryPoints);
  }

  /**
   * Names the parents of every task: the other tasks with a message that matches one of its
   * triggers. A task whose own message triggers it is not its own parent, since a
   * {@code parent_success} check on itself could never pass the first time.
   *
   * @param tasks the tasks, names unique
   * @return for every task name, in task order, the names of its parents in task order;
   *     unmodifiable
   * @throws IllegalArgumentException when a trigger is not a valid pattern
   */
  public static Map<String, List<String>> parents(List<TaskDefinition> tasks) {
    return parents(TriggerIndex.build(tasks));
  }

  /**
   * Names the parents of every task of an index, reusing the index.
   *
   * @param index the index of the tasks, names unique
   * @return the parents, as {@link #parents(List)} describes them
   */
  public static Map<String, List<String>> parents(TriggerIndex index) {
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    for (TaskDefinition task : index.tasks()) {
      parents.put(task.name(), new LinkedHashSet<>());
    }
    for (TaskDefinition sender : index.tasks()) {
      for (String message : sender.messages()) {
        for (TaskDefinition receiver : index.match(message)) {
          if (receiver != sender) {
            parents.get(receiver.name()).add(sender.name());
          }
        }
      }
    }
    Map<String, List<String>> result = new LinkedHashMap<>();
    parents.forEach((name, names) -> result.put(name, List.copyOf(names)));
    return Collections.unmodifiableMap(result);
  }

  private static Map<TaskDefinition, Integer> positions(List<TaskDefinition> tasks) {
    // By identity: the index hands back the very instances it was given, and two tasks may
    // be equal records if a source repeats one.
    Map<TaskDefinition, Integer> position = new IdentityHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      position.put(tasks.get(i), i);
    }
    return position;
  }

  private static void markReached(TaskDefinition receiver, String message, boolean[] reached) {
    for (int t = 0; t < reached.length; t++) {
      if (!reached[t] && TriggerIndex.matches(receiver.triggers().get(t), message)) {
        reached[t] = true;
      }
    }
  }

  private static List<List<String>> cycles(List<TaskDefinition> tasks,
      List<Set<Integer>> successors) {
    int[][] adjacency = new int[successors.size()][];
    for (int i = 0; i < adjacency.length; i++) {
      adjacency[i] = successors.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    List<List<String>> cycles = new ArrayList<>();
    for (int[] cycle : ElementaryCycles.find(adjacency, MAX_CYCLES)) {
      List<String> names = new ArrayList<>(cycle.length);
      for (int v : cycle) {
        names.add(tasks.get(v).name());
      }
      cycles.add(names);
    }
    return cycles;
  }
}
