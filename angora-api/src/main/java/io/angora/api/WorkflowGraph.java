package io.angora.api;

import java.util.List;

/**
 * The static shape of all workflows: tasks as nodes, an edge where one task's message (sent on
 * success, or on failure by {@code on_failure}) matches another task's trigger.
 *
 * @param nodes every task
 * @param edges every message edge, success and failure edges alike
 * @param cycles each cycle as the task names along it, the first repeated at the end; cycles
 *     through failure edges included
 * @param unmatchedMessages messages sent by a task (on success or on failure) that no trigger
 *     matches
 * @param entryPoints triggers that no task sends: messages from outside start workflows there
 */
public record WorkflowGraph(List<Node> nodes, List<Edge> edges, List<List<String>> cycles,
    List<Dangling> unmatchedMessages, List<EntryPoint> entryPoints) {

  /** Copies the lists. */
  public WorkflowGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    cycles = cycles.stream().map(List::copyOf).toList();
    unmatchedMessages = List.copyOf(unmatchedMessages);
    entryPoints = List.copyOf(entryPoints);
  }

  /** When a task sends a message: on success ({@code messages}) or on failure. */
  public enum Sent {
    /** {@code messages}: when a run succeeds. */
    ON_SUCCESS,
    /** {@code on_failure}: when a run has failed for good. */
    ON_FAILURE
  }

  /**
   * A task in the graph.
   *
   * @param task the task's name
   * @param triggers its triggers
   * @param messages the messages it sends on success
   * @param parentSuccess whether it waits for all parents
   * @param onFailure the messages it sends when a run has failed for good
   */
  public record Node(String task, List<String> triggers, List<String> messages,
      boolean parentSuccess, List<String> onFailure) {
    /** Copies the lists. */
    public Node {
      triggers = List.copyOf(triggers);
      messages = List.copyOf(messages);
      onFailure = List.copyOf(onFailure);
    }

    /**
     * A task that sends nothing on failure.
     *
     * @param task the task's name
     * @param triggers its triggers
     * @param messages the messages it sends on success
     * @param parentSuccess whether it waits for all parents
     */
    public Node(String task, List<String> triggers, List<String> messages,
        boolean parentSuccess) {
      this(task, triggers, messages, parentSuccess, List.of());
    }
  }

  /**
   * One task's message triggering another task.
   *
   * @param from the sending task
   * @param to the triggered task
   * @param message the message sent
   * @param sent on success or on failure
   */
  public record Edge(String from, String to, String message, Sent sent) {
    /** Checks the fields. */
    public Edge {
      java.util.Objects.requireNonNull(sent, "sent");
    }

    /**
     * An edge of a message sent on success.
     *
     * @param from the sending task
     * @param to the triggered task
     * @param message the message sent
     */
    public Edge(String from, String to, String message) {
      this(from, to, message, Sent.ON_SUCCESS);
    }
  }

  /**
   * A message that no trigger matches.
   *
   * @param task the task that sends it
   * @param message the message
   * @param sent on success or on failure
   */
  public record Dangling(String task, String message, Sent sent) {
    /** Checks the fields. */
    public Dangling {
      java.util.Objects.requireNonNull(sent, "sent");
    }

    /**
     * A message sent on success that no trigger matches.
     *
     * @param task the task that sends it
     * @param message the message
     */
    public Dangling(String task, String message) {
      this(task, message, Sent.ON_SUCCESS);
    }
  }

  /**
   * A trigger that no task's message matches.
   *
   * @param task the task
   * @param trigger the trigger
   */
  public record EntryPoint(String task, String trigger) {}
}
