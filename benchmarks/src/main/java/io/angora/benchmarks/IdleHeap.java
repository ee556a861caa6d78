package io.angora.benchmarks;

import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory an idle embedded engine holds: {@code tasks} tasks loaded, started, nothing to do.
 *
 * @param tasks how many tasks were loaded
 * @param heapBefore heap used after GC before the engine was built
 * @param heapIdle heap used after GC with the engine started and idle
 */
record IdleHeap(int tasks, long heapBefore, long heapIdle) {

  /**
   * Starts an embedded engine with distinct tasks (own trigger, command and follow-up message
   * each), measures, closes it.
   *
   * @param tasks how many tasks
   * @return the measurement
   */
  static IdleHeap measure(int tasks) {
    List<TaskDefinition> definitions = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      definitions.add(TaskDefinition.builder("idle-" + i)
          .triggers("idle.app" + (i % 20) + ".step" + i)
          .command("echo step " + i + " $ANGORA_MESSAGE")
          .messages("idle.app" + (i % 20) + ".step" + (i + 1)).replay(3).build());
    }
    long before = MemoryUse.heapAfterGc();
    try (Angora angora = Angora.builder().task(definitions.toArray(TaskDefinition[]::new))
        .build()) {
      angora.start();
      long idle = MemoryUse.heapAfterGc();
      return new IdleHeap(tasks, before, idle);
    }
  }

  /** What the engine added to the heap. */
  long engineBytes() {
    return heapIdle - heapBefore;
  }
}
