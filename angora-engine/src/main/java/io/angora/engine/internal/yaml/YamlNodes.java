package io.angora.engine.internal.yaml;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** What the task and schedule parsers say about YAML nodes in their error messages. */
public final class YamlNodes {
  private YamlNodes() {}

  /**
   * The node's 1-based line.
   *
   * @param node a node
   * @return its line, or 0 when unknown
   */
  public static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /**
   * Whether the node is an empty value ({@code key:} or {@code null}).
   *
   * @param node a node
   * @return true for a null scalar
   */
  public static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  /**
   * Names a node's kind for messages: "a list", "a mapping", "an empty value", "the text 'x'".
   *
   * @param node a node
   * @return the name
   */
  public static String kind(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    return isNull(node) ? "an empty value" : "the text '" + ((ScalarNode) node).getValue() + "'";
  }

  /**
   * Quotes a scalar's text, or names the node's kind.
   *
   * @param node a node
   * @return e.g. {@code 'abc'} or "a list"
   */
  public static String describe(Node node) {
    return node instanceof ScalarNode scalar && !isNull(node)
        ? "'" + scalar.getValue() + "'" : kind(node);
  }
}
