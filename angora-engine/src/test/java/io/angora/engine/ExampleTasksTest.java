package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import io.angora.api.WorkflowGraph;
import io.angora.engine.internal.graph.WorkflowGraphs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The repository's own tasks directory loads without errors and holds the examples. */
class ExampleTasksTest {
  private static final Path TASKS = Path.of("..", "tasks");

  private final List<TaskDefinition> tasks = YamlTaskSource.directory(TASKS).load();
  private final Map<String, TaskDefinition> byName =
      tasks.stream().collect(Collectors.toMap(TaskDefinition::name, Function.identity()));

  @Test
  void holdsEveryReadmeExample() {
    assertThat(byName).containsKeys("example_job", "step_1", "step_2", "step_3", "step_4",
        "step_5");
    TaskDefinition job = byName.get("example_job");
    assertThat(job.command()).isEqualTo("env");
    assertThat(job.log()).isEqualTo("$HOME/angora/logs/");
    assertThat(job.triggers()).containsExactly("shell.print.env");
    assertThat(byName.get("step_1").messages()).contains("example.step.2", "example.step.3");
    assertThat(byName.get("step_4").triggers())
        .containsExactly("example.step.1", "example.step.2", "example.step.3");
  }

  @Test
  void holdsTheDemo() {
    assertThat(byName).containsKeys("demo_start", "demo_part_a", "demo_part_b", "demo_part_c",
        "demo_join", "demo_flaky", "demo_timeout");
    assertThat(byName.get("demo_start").messages()).hasSizeBetween(2, 3);
    assertThat(byName.get("demo_join").parentSuccess()).isTrue();
    assertThat(WorkflowGraphs.parents(tasks).get("demo_join"))
        .containsExactly("demo_part_a", "demo_part_b", "demo_part_c");
    assertThat(byName.get("demo_flaky").replay()).isEqualTo(2);
    assertThat(byName.get("demo_flaky").command()).isEqualTo("false");
    assertThat(byName.get("demo_timeout").timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void graphHasNoCyclesAndNoMessageThatReachesNobody() {
    WorkflowGraph graph = WorkflowGraphs.of(tasks);
    assertThat(graph.cycles()).isEmpty();
    assertThat(graph.unmatchedMessages()).isEmpty();
    assertThat(graph.entryPoints()).extracting(WorkflowGraph.EntryPoint::trigger)
        .contains("example.step.1", "shell.print.env", "demo.start");
    assertThat(graph.edges()).contains(
        new WorkflowGraph.Edge("step_1", "step_2", "example.step.2"),
        new WorkflowGraph.Edge("step_4", "step_5", "example.step.5"));
  }
}
