package io.angora.api;

import java.util.List;
import java.util.stream.Collectors;

/** Loading tasks failed; carries every error found in the load, not only the first. */
public final class TaskLoadException extends AngoraException {
  private static final long serialVersionUID = 1L;

  private final List<TaskError> errors;

  /**
   * Creates the exception.
   *
   * @param errors every problem found, at least one
   */
  public TaskLoadException(List<TaskError> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
  }

  /**
   * Returns the problems found.
   *
   * @return every problem of the load, in file and line order
   */
  public List<TaskError> errors() {
    return errors;
  }

  private static String format(List<TaskError> errors) {
    return errors.size() + (errors.size() == 1 ? " error" : " errors") + " in tasks:\n"
        + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
  }
}
