package io.angora.http.internal;

import io.angora.api.Run;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Arranges one workflow's runs as a tree by parent run. Stateless. */
final class RunTree {
  private RunTree() {}

  /**
   * Builds the tree.
   *
   * @param runs the workflow's runs, oldest first
   * @return the roots (runs whose parent is not in the workflow), each with nested
   *     {@code children}, oldest first at every level
   */
  static List<Map<String, Object>> of(List<Run> runs) {
    Map<String, Map<String, Object>> nodes = new HashMap<>();
    for (Run run : runs) {
      Map<String, Object> node = Views.run(run, false);
      node.put("children", new ArrayList<Map<String, Object>>());
      nodes.put(run.id(), node);
    }
    List<Map<String, Object>> roots = new ArrayList<>();
    for (Run run : runs) {
      @Nullable Map<String, Object> parent = run.parentRunId() == null ? null : nodes.get(run.parentRunId());
      if (parent == null || run.parentRunId().equals(run.id())) {
        roots.add(nodes.get(run.id()));
      } else {
        children(parent).add(nodes.get(run.id()));
      }
    }
    return roots;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> children(Map<String, Object> node) {
    return (List<Map<String, Object>>) node.get("children");
  }
}
