package io.angora.api;

import java.util.List;

/**
 * The static shape of all workflows: tasks as nodes, an edge where one task's message matches
 * another task's trigger.
 *
 * @param nodes every task
 * @param edges every message edge
 * @param cycles each cycle as the task names along it, the first repeated at the end
 * @param unmatchedMessages messages sent by a task that no trigger matches
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

  /**
   * A task in the graph.
   *
   * @param task the task's name
   * @param triggers its triggers
   * @param messages the messages it sends on success
   * @param parentSuccess whether it waits for all parents
   */
  public record Node(String task, List<String> triggers, List<String> messages,
      boolean parentSuccess) {
    /** Copies the lists. */
    public Node {
      triggers = List.copyOf(triggers);
      messages = List.copyOf(messages);
    }
  }

  /**
   * One task's message triggering another task.
   *
   * @param from the sending task
   * @param to the triggered task
   * @param message the message sent
   */
  public record Edge(String from, String to, String message) {}

  /**
   * A message that no trigger matches.
   *
   * @param task the task that sends it
   * @param message the message
   */
  public record Dangling(String task, String message) {}

  /**
   * A trigger that no task's message matches.
   *
   * @param task the task
   * @param trigger the trigger
   */
  public record EntryPoint(String task, String trigger) {}
}
