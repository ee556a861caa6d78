package io.angora.engine.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import io.angora.api.WorkflowGraph.Dangling;
import io.angora.api.WorkflowGraph.Edge;
import io.angora.api.WorkflowGraph.EntryPoint;
import io.angora.api.WorkflowGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowGraphsTest {
  private static TaskDefinition task(String name, List<String> triggers, String... messages) {
    return TaskDefinition.builder(name).triggers(triggers.toArray(String[]::new))
        .messages(messages).command("true").build();
  }

  private static TaskDefinition task(String name, String trigger, String... messages) {
    return task(name, List.of(trigger), messages);
  }

  @Test
  void chain() {
    WorkflowGraph graph = WorkflowGraphs.of(List.of(
        task("step_1", "example.step.1", "example.step.2"),
        task("step_2", "example.step.2")));
    assertThat(graph.nodes()).extracting(WorkflowGraph.Node::task)
        .containsExactly("step_1", "step_2");
    assertThat(graph.edges()).containsExactly(new Edge("step_1", "step_2", "example.step.2"));
    assertThat(graph.entryPoints()).containsExactly(new EntryPoint("step_1", "example.step.1"));
    assertThat(graph.cycles()).isEmpty();
    assertThat(graph.unmatchedMessages()).isEmpty();
  }

  @Test
  void fanOutByMessagesAndByASharedTrigger() {
    WorkflowGraph graph = WorkflowGraphs.of(List.of(
        task("start", "go", "part.a", "part.b"),
        task("a", "part.a"),
        task("b", "part.b"),
        task("also_b", "part.*")));
    assertThat(graph.edges()).containsExactly(
        new Edge("start", "a", "part.a"),
        new Edge("start", "also_b", "part.a"),
        new Edge("start", "b", "part.b"),
        new Edge("start", "also_b", "part.b"));
    assertThat(graph.entryPoints()).containsExactly(new EntryPoint("start", "go"));
  }

  @Test
  void joinHasEveryFannedOutTaskAsParent() {
    List<TaskDefinition> tasks = List.of(
        task("start", "go", "part.a", "part.b"),
        task("a", "part.a", "done.a"),
        task("b", "part.b", "done.b"),
        task("join", List.of("done.*", "manual.join")));
    WorkflowGraph graph = WorkflowGraphs.of(tasks);
    assertThat(graph.edges()).contains(new Edge("a", "join", "done.a"),
        new Edge("b", "join", "done.b"));
    assertThat(graph.entryPoints()).containsExactly(new EntryPoint("start", "go"),
        new EntryPoint("join", "manual.join"));
    assertThat(WorkflowGraphs.parents(tasks)).containsExactly(
        entry("start", List.of()), entry("a", List.of("start")), entry("b", List.of("start")),
        entry("join", List.of("a", "b")));
  }

  private static <K, V> java.util.Map.Entry<K, V> entry(K key, V value) {
    return java.util.Map.entry(key, value);
  }

  @Test
  void cyclesIncludingSelfLoopsEachListedOnce() {
    List<TaskDefinition> tasks = List.of(
        task("a", "to.a", "to.b", "to.c"),
        task("b", "to.b", "to.a"),
        task("c", "to.c", "to.a"),
        task("loop", "again", "again"),
        task("end", "to.end"));
    WorkflowGraph graph = WorkflowGraphs.of(tasks);
    assertThat(graph.cycles()).containsExactly(
        List.of("a", "b", "a"), List.of("a", "c", "a"), List.of("loop", "loop"));
    assertThat(WorkflowGraphs.parents(tasks).get("loop")).isEmpty();
    assertThat(WorkflowGraphs.parents(tasks).get("a")).containsExactly("b", "c");
  }

  @Test
  void onFailureMessagesAreFailureEdgesAndTheirCyclesAreListed() {
    WorkflowGraph graph = WorkflowGraphs.of(List.of(
        TaskDefinition.builder("load").triggers("load.go").command("true")
            .messages("load.done").onFailure("load.failed", "nobody.hears").build(),
        task("report", "load.done"),
        TaskDefinition.builder("retry").triggers("load.failed").command("true")
            .messages("load.go").build()));

    assertThat(graph.edges()).containsExactly(
        new Edge("load", "report", "load.done", WorkflowGraph.Sent.ON_SUCCESS),
        new Edge("load", "retry", "load.failed", WorkflowGraph.Sent.ON_FAILURE),
        new Edge("retry", "load", "load.go", WorkflowGraph.Sent.ON_SUCCESS));
    assertThat(graph.nodes().get(0).onFailure()).containsExactly("load.failed", "nobody.hears");
    assertThat(graph.cycles()).containsExactly(List.of("load", "retry", "load"));
    assertThat(graph.unmatchedMessages()).containsExactly(
        new Dangling("load", "nobody.hears", WorkflowGraph.Sent.ON_FAILURE));
    // A trigger reached only by a failure message is not an entry point.
    assertThat(graph.entryPoints()).isEmpty();
    // Failure edges do not make parents: a parent_success check would never pass on them.
    assertThat(WorkflowGraphs.parents(List.of(
        TaskDefinition.builder("load").triggers("go").command("true").onFailure("alert").build(),
        task("alert", "alert"))).get("alert")).isEmpty();
  }

  @Test
  void unmatchedMessagesAreReported() {
    WorkflowGraph graph = WorkflowGraphs.of(List.of(
        task("a", "start", "nobody.listens", "b.go", "nobody.listens"),
        task("b", "b.*")));
    assertThat(graph.unmatchedMessages()).containsExactly(new Dangling("a", "nobody.listens"));
    assertThat(graph.edges()).containsExactly(new Edge("a", "b", "b.go"));
  }

  @Test
  void entryPointsAreTriggersNoMessageMatches() {
    WorkflowGraph graph = WorkflowGraphs.of(List.of(
        task("a", List.of("start", "again"), "x.y"),
        task("b", List.of("x.*", "x.z", "#.y"))));
    assertThat(graph.entryPoints()).containsExactly(new EntryPoint("a", "start"),
        new EntryPoint("a", "again"), new EntryPoint("b", "x.z"));
  }

  @Test
  void ringOfTenThousandTasksIsOneCycle() {
    int n = 10_000;
    List<TaskDefinition> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(task("t" + i, "ring." + i, "ring." + ((i + 1) % n)));
    }
    WorkflowGraph graph = WorkflowGraphs.of(tasks);
    assertThat(graph.edges()).hasSize(n);
    assertThat(graph.cycles()).singleElement().satisfies(cycle -> {
      assertThat(cycle).hasSize(n + 1);
      assertThat(cycle.get(0)).isEqualTo("t0");
      assertThat(cycle.get(n)).isEqualTo("t0");
    });
    assertThat(graph.entryPoints()).isEmpty();
  }

  @Test
  void denseGraphStopsAtTheCycleLimit() {
    List<TaskDefinition> tasks = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      tasks.add(task("t" + i, "all." + i, "all.everyone"));
    }
    tasks.add(task("everyone", "all.everyone", "all.0", "all.1", "all.2", "all.3", "all.4",
        "all.5", "all.6", "all.7", "all.8"));
    List<TaskDefinition> complete = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      List<String> others = new ArrayList<>();
      for (int j = 0; j < 9; j++) {
        others.add("k." + j);
      }
      complete.add(task("k" + i, List.of("k." + i), others.toArray(String[]::new)));
    }
    assertThat(WorkflowGraphs.of(complete).cycles()).hasSize(WorkflowGraphs.MAX_CYCLES);
    assertThat(WorkflowGraphs.of(tasks).cycles()).hasSize(9);
  }

  @Test
  void cyclesOfRandomGraphsMatchABruteForceSearch() {
    Random random = new Random(3);
    for (int round = 0; round < 300; round++) {
      int n = 1 + random.nextInt(7);
      boolean[][] edge = new boolean[n][n];
      List<TaskDefinition> tasks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<String> messages = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          if (random.nextDouble() < 0.3) {
            edge[i][j] = true;
            messages.add("v." + j);
          }
        }
        tasks.add(task("v" + i, List.of("v." + i), messages.toArray(String[]::new)));
      }
      Set<List<String>> expected = new HashSet<>();
      for (int start = 0; start < n; start++) {
        bruteForce(edge, start, new ArrayList<>(List.of(start)), expected);
      }
      List<List<String>> cycles = WorkflowGraphs.of(tasks).cycles();
      assertThat(cycles).doesNotHaveDuplicates();
      assertThat(new HashSet<>(cycles)).as("round %d", round).isEqualTo(expected);
    }
  }

  /** Every simple path from start through higher vertices back to start. */
  private static void bruteForce(boolean[][] edge, int start, List<Integer> path,
      Set<List<String>> cycles) {
    int last = path.get(path.size() - 1);
    for (int next = 0; next < edge.length; next++) {
      if (!edge[last][next]) {
        continue;
      }
      if (next == start) {
        List<String> cycle = new ArrayList<>();
        path.forEach(v -> cycle.add("v" + v));
        cycle.add("v" + start);
        cycles.add(cycle);
      } else if (next > start && !path.contains(next)) {
        path.add(next);
        bruteForce(edge, start, path, cycles);
        path.remove(path.size() - 1);
      }
    }
  }
}
