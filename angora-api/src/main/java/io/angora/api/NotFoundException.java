package io.angora.api;

/** Something asked for by name or id does not exist: an unknown task, run or workflow. */
public final class NotFoundException extends AngoraException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param kind what was looked for, e.g. {@code "task"} or {@code "run"}
   * @param id the name or id that was not found
   */
  public NotFoundException(String kind, String id) {
    super("unknown " + kind + " '" + id + "'");
  }
}
