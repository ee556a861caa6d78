package io.angora.http;

import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.api.TaskSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A task source whose next load returns given tasks or fails with given errors. */
final class SwitchableTaskSource implements TaskSource {
  private final AtomicReference<List<TaskDefinition>> tasks;
  private final AtomicReference<List<TaskError>> errors = new AtomicReference<>(List.of());

  SwitchableTaskSource(List<TaskDefinition> initial) {
    this.tasks = new AtomicReference<>(initial);
  }

  void failWith(TaskError... found) {
    errors.set(List.of(found));
  }

  void succeedWith(List<TaskDefinition> next) {
    errors.set(List.of());
    tasks.set(next);
  }

  @Override
  public List<TaskDefinition> load() {
    if (!errors.get().isEmpty()) {
      throw new TaskLoadException(errors.get());
    }
    return tasks.get();
  }

  @Override
  public String description() {
    return "test tasks";
  }
}
