package io.angora.http.internal;

import io.angora.api.Run;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Arranges one workflow's runs as a tree by parent run, nested at most {@link #MAX_DEPTH}
 * levels deep: a run deeper than that (a self-triggering task runs for thousands of
 * generations) starts a new top-level entry marked {@code "continued": true}, whose
 * {@code parentRunId} names the run it continues from. JSON writers and browsers thus never
 * meet an unbounded nesting. Stateless.
 */
final class RunTree {
  /** The most levels of {@code children} in one entry. */
  static final int MAX_DEPTH = 64;

  private RunTree() {}

  /**
   * Builds the tree.
   *
   * @param runs the workflow's runs, oldest first
   * @return the roots (runs whose parent is not in the workflow) and the continued entries,
   *     each with nested {@code children}, oldest first at every level
   */
  static List<Map<String, Object>> of(List<Run> runs) {
    Map<String, Map<String, Object>> nodes = new HashMap<>();
    Map<String, List<Run>> childrenOf = new HashMap<>();
    List<Run> roots = new ArrayList<>();
    for (Run run : runs) {
      Map<String, Object> node = Views.run(run, false);
      node.put("children", new ArrayList<Map<String, Object>>());
      nodes.put(run.id(), node);
    }
    for (Run run : runs) {
      String parent = run.parentRunId();
      if (parent == null || parent.equals(run.id()) || !nodes.containsKey(parent)) {
        roots.add(run);
      } else {
        childrenOf.computeIfAbsent(parent, k -> new ArrayList<>()).add(run);
      }
    }
    List<Map<String, Object>> top = new ArrayList<>();
    // Iteratively, depth first: no recursion as deep as the workflow.
    Deque<Map.Entry<Run, Integer>> pending = new ArrayDeque<>();
    for (Run root : roots) {
      top.add(nodes.get(root.id()));
      pending.push(Map.entry(root, 0));
      while (!pending.isEmpty()) {
        Map.Entry<Run, Integer> at = pending.pop();
        List<Run> children = childrenOf.getOrDefault(at.getKey().id(), List.of());
        int depth = at.getValue() + 1;
        for (int i = children.size() - 1; i >= 0; i--) {
          Run child = children.get(i);
          Map<String, Object> node = nodes.get(child.id());
          if (depth % MAX_DEPTH == 0) {
            node.put("continued", true);
            top.add(node);
          } else {
            children(nodes.get(at.getKey().id())).add(0, node);
          }
          pending.push(Map.entry(child, depth));
        }
      }
    }
    return top;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> children(Map<String, Object> node) {
    return (List<Map<String, Object>>) node.get("children");
  }
}
