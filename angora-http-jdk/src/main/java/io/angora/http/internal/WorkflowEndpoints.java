package io.angora.http.internal;

import io.angora.api.NotFoundException;
import io.angora.api.Run;
import io.angora.api.WorkflowGraph;
import io.angora.engine.Angora;
import io.angora.http.HttpCall;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/workflows}: the task graph with its warnings, and one workflow instance's runs
 * as a tree. Thread-safe.
 */
public final class WorkflowEndpoints {
  private final Angora angora;

  /**
   * Creates the endpoints.
   *
   * @param angora the engine
   */
  public WorkflowEndpoints(Angora angora) {
    this.angora = angora;
  }

  /** The routes. */
  public List<HttpRoute> routes() {
    return List.of(
        HttpRoute.get("/api/workflows", call -> HttpReply.ok(graph())),
        HttpRoute.get("/api/workflows/{workflowId}", this::instance));
  }

  private Map<String, Object> graph() {
    WorkflowGraph graph = angora.graph();
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (WorkflowGraph.Node node : graph.nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", node.task());
      m.put("triggers", node.triggers());
      m.put("messages", node.messages());
      m.put("parentSuccess", node.parentSuccess());
      m.put("onFailure", node.onFailure());
      m.put("lastStatus", angora.runs().latest(node.task(), null)
          .map(r -> r.status().name()).orElse(null));
      nodes.add(m);
    }
    List<String> warnings = new ArrayList<>();
    for (List<String> cycle : graph.cycles()) {
      warnings.add("cycle: " + String.join(" -> ", cycle));
    }
    for (WorkflowGraph.Dangling d : graph.unmatchedMessages()) {
      warnings.add("task '" + d.task() + "' sends '" + d.message() + "'"
          + (d.sent() == WorkflowGraph.Sent.ON_FAILURE ? " on failure" : "")
          + ", which no trigger matches");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("nodes", nodes);
    body.put("edges", graph.edges());
    body.put("cycles", graph.cycles());
    body.put("unmatchedMessages", graph.unmatchedMessages());
    body.put("entryPoints", graph.entryPoints());
    body.put("warnings", warnings);
    return body;
  }

  private HttpReply instance(HttpCall call) {
    String id = Params.id("workflow", call.pathParam("workflowId"));
    List<Run> runs = angora.runs().workflow(id);
    if (runs.isEmpty()) {
      throw new NotFoundException("workflow", id);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflowId", id);
    body.put("runCount", runs.size());
    body.put("runs", RunTree.of(runs));
    return HttpReply.ok(body);
  }
}
