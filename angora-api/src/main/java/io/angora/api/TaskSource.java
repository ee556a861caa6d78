package io.angora.api;

import java.util.List;

/**
 * Where task definitions come from: a directory of YAML files, code, a database.
 *
 * <p>Implementations must be safe to call from any thread; each call reads the source anew.
 */
public interface TaskSource {

  /**
   * Reads every task.
   *
   * @return the tasks, names unique
   * @throws TaskLoadException with every problem found, when any is; the caller keeps the tasks
   *     it had
   */
  List<TaskDefinition> load();

  /**
   * Describes the source for messages and logs, e.g. the directory it reads.
   *
   * @return a short description
   */
  String description();

  /**
   * A source of a fixed list of tasks, e.g. defined in code.
   *
   * @param tasks the tasks
   * @return a source that always returns them
   */
  static TaskSource of(List<TaskDefinition> tasks) {
    List<TaskDefinition> copy = List.copyOf(tasks);
    return new TaskSource() {
      @Override
      public List<TaskDefinition> load() {
        return copy;
      }

      @Override
      public String description() {
        return "<code>";
      }
    };
  }
}
