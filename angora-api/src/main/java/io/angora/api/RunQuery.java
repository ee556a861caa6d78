package io.angora.api;

import org.jspecify.annotations.Nullable;

/**
 * A filter over recorded runs, newest first.
 *
 * @param task only runs of this task, or null for all
 * @param status only runs in this status, or null for all
 * @param workflowId only runs of this workflow instance, or null for all
 * @param before only runs whose id sorts before this one (the paging cursor), or null
 * @param limit at most this many runs, 1 to {@link #MAX_LIMIT}
 */
public record RunQuery(@Nullable String task, @Nullable RunStatus status,
    @Nullable String workflowId, @Nullable String before, int limit) {

  /** The largest page a query may ask for. */
  public static final int MAX_LIMIT = 1000;

  /** Checks the limit. */
  public RunQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
    }
  }

  /**
   * The newest runs, unfiltered.
   *
   * @param limit how many
   * @return the query
   */
  public static RunQuery newest(int limit) {
    return new RunQuery(null, null, null, null, limit);
  }

  /**
   * Narrows to one task.
   *
   * @param name the task
   * @return a copy of this query
   */
  public RunQuery withTask(@Nullable String name) {
    return new RunQuery(name, status, workflowId, before, limit);
  }

  /**
   * Narrows to one status.
   *
   * @param value the status
   * @return a copy of this query
   */
  public RunQuery withStatus(@Nullable RunStatus value) {
    return new RunQuery(task, value, workflowId, before, limit);
  }

  /**
   * Narrows to one workflow instance.
   *
   * @param id the workflow id
   * @return a copy of this query
   */
  public RunQuery withWorkflow(@Nullable String id) {
    return new RunQuery(task, status, id, before, limit);
  }

  /**
   * Continues after a page.
   *
   * @param runId the last run id of the previous page
   * @return a copy of this query
   */
  public RunQuery withBefore(@Nullable String runId) {
    return new RunQuery(task, status, workflowId, runId, limit);
  }
}
