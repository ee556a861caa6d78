package io.angora.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskLoadBenchmarkTest {

  @Test
  void loadsEveryGeneratedTask() throws Exception {
    TaskLoadBenchmark bench = new TaskLoadBenchmark();
    bench.files = 100;
    bench.setUp();
    try {
      List<TaskDefinition> tasks = bench.load();

      assertThat(tasks).hasSize(TaskLoadBenchmark.TASKS);
      assertThat(tasks).extracting(TaskDefinition::name).doesNotHaveDuplicates()
          .contains("task_0", "task_9999");
    } finally {
      bench.tearDown();
    }
  }
}
