package io.angora.engine;

import io.angora.api.FlowControl;
import io.angora.api.MessageText;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.engine.internal.yaml.YamlNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Converts the values of one task's mapping, field by field, adding an error naming file, line
 * and field for each value of the wrong type or shape. Text fields take the scalar as written
 * ({@code command: false} is the command {@code false}, {@code 010} stays {@code 010}). Not
 * thread-safe.
 */
final class YamlFields {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,9}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String file;
  private final Map<String, Node> values;
  private final List<TaskError> errors;
  private final String label;

  YamlFields(String file, Map<String, Node> values, List<TaskError> errors, String label) {
    this.file = file;
    this.values = values;
    this.errors = errors;
    this.label = label;
  }

  /** The name, checked to be usable as a log file name and in a URL path segment. */
  @Nullable String name() {
    String name = text("name");
    if (name == null) {
      return null;
    }
    String problem = MessageText.taskNameProblem(name).orElse(null);
    if (problem != null) {
      error(values.get("name"), "name", "task name '" + name + "' " + problem);
      return null;
    }
    return name;
  }

  /** A text field: null when absent, or with an error when empty or not text. */
  @Nullable String text(String field) {
    Node node = values.get(field);
    return node == null ? null : text(node, field);
  }

  /** A list of triggers or messages; a single string counts as a list of one. */
  List<String> words(String field, boolean required, boolean patterns) {
    Node node = values.get(field);
    if (node == null) {
      return List.of();
    }
    List<String> result = new ArrayList<>();
    if (node instanceof SequenceNode list) {
      if (list.getValue().isEmpty() && required) {
        error(node, field, "needs at least one entry");
      }
      for (int i = 0; i < list.getValue().size(); i++) {
        addWord(list.getValue().get(i), field + "[" + i + "]", patterns, result);
      }
    } else {
      addWord(node, field, patterns, result);
    }
    return result;
  }

  private void addWord(Node node, String field, boolean pattern, List<String> result) {
    String word = text(node, field);
    if (word == null) {
      return;
    }
    Optional<String> problem = pattern
        ? MessageText.patternProblem(word) : MessageText.messageProblem(word);
    if (problem.isPresent()) {
      error(node, field, (pattern ? "trigger '" : "message '") + word + "' " + problem.get());
    } else {
      result.add(word);
    }
  }

  @Nullable Integer replay() {
    return convert("replay", node -> {
      String value = ((ScalarNode) node).getValue();
      return Tag.INT.equals(node.getTag()) && WHOLE_NUMBER.matcher(value).matches()
          ? Integer.valueOf(value) : null;
    }, "expected a whole number, 0 or more (leave it out to replay without limit)");
  }

  /** A whole number from {@code min} to {@code max}; null with an error otherwise. */
  @Nullable Integer number(String field, int min, int max, String expected) {
    return convert(field, node -> {
      String value = ((ScalarNode) node).getValue();
      if (!Tag.INT.equals(node.getTag()) || !WHOLE_NUMBER.matcher(value).matches()) {
        return null;
      }
      int number = Integer.parseInt(value);
      return number >= min && number <= max ? number : null;
    }, expected);
  }

  /** {@code overflow}: queue or skip. */
  FlowControl.@Nullable Overflow overflow() {
    return convert("overflow", node -> switch (((ScalarNode) node).getValue()) {
      case "queue" -> FlowControl.Overflow.QUEUE;
      case "skip" -> FlowControl.Overflow.SKIP;
      default -> null;
    }, "expected queue (wait for a free slot, the default) or skip (record the run SKIPPED)");
  }

  /** {@code rate}: N per second, minute, hour or day. */
  FlowControl.@Nullable Rate rate() {
    return convert("rate", node -> {
      if (!Tag.STR.equals(node.getTag())) {
        return null;
      }
      try {
        return FlowControl.Rate.parse(((ScalarNode) node).getValue());
      } catch (IllegalArgumentException e) {
        return null;
      }
    }, "expected a rate such as 2/s, 10/min, 5/h or 100/d (at least 1)");
  }

  /**
   * {@code concurrency_group}: a group declared in the groups file, with its limit.
   *
   * @param groups the declared groups by name
   * @param groupsFile where they are declared, for the error
   */
  FlowControl.@Nullable Group group(Map<String, FlowControl.Group> groups, String groupsFile) {
    String name = text("concurrency_group");
    if (name == null) {
      return null;
    }
    FlowControl.Group group = groups.get(name);
    if (group == null) {
      error(values.get("concurrency_group"), "concurrency_group", "concurrency group '" + name
          + "' is not declared" + (groups.isEmpty() ? "; declare it in " + groupsFile
          + " as '- name: " + name + "' with 'concurrency: N'"
          : " in " + groupsFile + " (declared: " + String.join(", ", groups.keySet()) + ")"));
    }
    return group;
  }

  @Nullable Boolean bool(String field) {
    return convert(field, node -> {
      String value = ((ScalarNode) node).getValue().toLowerCase(Locale.ROOT);
      boolean bool = Tag.BOOL.equals(node.getTag());
      return bool && value.equals("true") ? Boolean.TRUE
          : bool && value.equals("false") ? Boolean.FALSE : null;
    }, "expected true or false");
  }

  @Nullable Duration timeout() {
    Duration timeout = convert("timeout", node -> {
      String value = ((ScalarNode) node).getValue();
      if (Tag.INT.equals(node.getTag()) && WHOLE_NUMBER.matcher(value).matches()) {
        return positive(Duration.ofSeconds(Long.parseLong(value)));
      }
      Matcher m = DURATION.matcher(value);
      if (!Tag.STR.equals(node.getTag()) || !m.matches()) {
        return null;
      }
      long amount = Long.parseLong(m.group(1));
      return positive(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      });
    }, "expected a positive duration such as 500ms, 30s, 10m, 2h, or a number of seconds");
    if (timeout != null && timeout.compareTo(TaskDefinition.MAX_TIMEOUT) > 0) {
      Node node = values.get("timeout");
      error(node, "timeout", "'" + ((ScalarNode) node).getValue() + "' is longer than the"
          + " limit of 30 days (720h); leave timeout out for none");
      return null;
    }
    return timeout;
  }

  Map<String, String> env() {
    Node node = values.get("env");
    if (node == null) {
      return Map.of();
    }
    if (!(node instanceof MappingNode mapping)) {
      error(node, "env", "expected a mapping of variable names to values, found " + YamlNodes.kind(node));
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : null;
      if (key == null || YamlNodes.isNull(keyNode) || !VARIABLE.matcher(key).matches()) {
        error(keyNode, "env", "'" + (key == null ? YamlNodes.kind(keyNode) : key)
            + "' is not a variable name (letters, digits and '_', not starting with a digit)");
        continue;
      }
      String value = text(tuple.getValueNode(), "env." + key);
      if (value != null && env.putIfAbsent(key, value) != null) {
        error(keyNode, "env." + key, "variable given twice");
      }
    }
    return env;
  }

  private <T> @Nullable T convert(String field, Function<Node, @Nullable T> converter,
      String expected) {
    Node node = values.get(field);
    if (node == null) {
      return null;
    }
    T value = node instanceof ScalarNode && !YamlNodes.isNull(node)
        ? converter.apply(node) : null;
    if (value == null) {
      error(node, field, expected + ", found " + YamlNodes.describe(node));
    }
    return value;
  }

  private static @Nullable Duration positive(Duration duration) {
    return duration.isZero() ? null : duration;
  }

  /** A scalar as written; null with an error when it is empty, null or not a scalar. */
  private @Nullable String text(Node node, String field) {
    if (!(node instanceof ScalarNode scalar) || YamlNodes.isNull(node)) {
      error(node, field, "expected text, found " + YamlNodes.kind(node));
      return null;
    }
    if (scalar.getValue().isBlank()) {
      error(node, field, "must not be empty");
      return null;
    }
    return scalar.getValue();
  }

  private void error(@Nullable Node node, String field, String message) {
    errors.add(new TaskError(file, node == null ? 0 : YamlNodes.line(node), field,
        label + ": " + message));
  }
}
