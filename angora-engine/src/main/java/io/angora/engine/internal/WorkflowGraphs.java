package io.angora.engine.internal;

import io.angora.api.TaskDefinition;
import io.angora.api.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TEMPORARY until the real one lands. */
public final class WorkflowGraphs {
  private WorkflowGraphs() {}

  public static WorkflowGraph of(List<TaskDefinition> tasks) {
    List<WorkflowGraph.Node> nodes = new ArrayList<>();
    List<WorkflowGraph.Edge> edges = new ArrayList<>();
    for (TaskDefinition t : tasks) {
      nodes.add(new WorkflowGraph.Node(t.name(), t.triggers(), t.messages(), t.parentSuccess()));
      for (String m : t.messages()) {
        for (TaskDefinition u : tasks) {
          if (u.triggers().stream().anyMatch(p -> TriggerIndex.matches(p, m))) {
            edges.add(new WorkflowGraph.Edge(t.name(), u.name(), m));
          }
        }
      }
    }
    return new WorkflowGraph(nodes, edges, List.of(), List.of(), List.of());
  }

  public static Map<String, List<String>> parents(List<TaskDefinition> tasks) {
    Map<String, List<String>> parents = new LinkedHashMap<>();
    for (WorkflowGraph.Edge e : of(tasks).edges()) {
      List<String> list = parents.computeIfAbsent(e.to(), k -> new ArrayList<>());
      if (!list.contains(e.from())) {
        list.add(e.from());
      }
    }
    return parents;
  }
}
