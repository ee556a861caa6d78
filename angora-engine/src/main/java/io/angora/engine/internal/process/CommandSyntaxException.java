package io.angora.engine.internal.process;

import io.angora.api.AngoraException;

/**
 * A task's command line cannot be split into words, e.g. a quote is not closed. The message
 * names the task and the position.
 */
public final class CommandSyntaxException extends AngoraException {
  private static final long serialVersionUID = 1L;

  private final String task;
  private final int position;

  /**
   * Creates the exception.
   *
   * @param task the task whose command is wrong
   * @param position 1-based position in the command of the character where the problem starts
   * @param problem what is wrong, e.g. {@code unterminated double quote}
   */
  public CommandSyntaxException(String task, int position, String problem) {
    super("task '" + task + "': " + problem + " at position " + position + " of its command");
    this.task = task;
    this.position = position;
  }

  /** The task whose command is wrong. */
  public String task() {
    return task;
  }

  /** The 1-based position in the command where the problem starts. */
  public int position() {
    return position;
  }
}
