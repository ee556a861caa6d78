package io.angora.engine;

import io.angora.api.FlowControl;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.engine.explain.NearestTrigger;
import io.angora.engine.internal.yaml.YamlNodes;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses task files into tasks, collecting every error of a load (over several files) rather
 * than stopping at the first, and checking names for uniqueness across files. Works on
 * snakeyaml's node tree, which keeps line numbers and the text as written. One instance per
 * load; not thread-safe.
 */
final class YamlTaskParser {
  /** Known keys, in the order of the documentation, for "did you mean" hints. */
  static final List<String> KEYS = List.of("name", "triggers", "command", "log", "messages",
      "replay", "parent_success", "timeout", "env", "on_failure", "concurrency",
      "concurrency_group", "overflow", "rate", "priority");

  /** Words people write for a known key that are too far from it for the typo check. */
  private static final Map<String, String> SYNONYMS = Map.ofEntries(Map.entry("retry", "replay"),
      Map.entry("retries", "replay"), Map.entry("cmd", "command"), Map.entry("exec", "command"),
      Map.entry("environment", "env"), Map.entry("variables", "env"),
      Map.entry("parents_success", "parent_success"),
      Map.entry("parentsuccess", "parent_success"), Map.entry("onfailure", "on_failure"),
      Map.entry("group", "concurrency_group"), Map.entry("max_concurrency", "concurrency"),
      Map.entry("rate_limit", "rate"));

  private final List<TaskError> errors = new ArrayList<>();
  private final List<TaskDefinition> tasks = new ArrayList<>();
  private final Map<String, String> origins = new HashMap<>();
  private final Map<String, FlowControl.Group> groups;
  private final String groupsFile;

  /** A parser for tasks that declare no concurrency group. */
  YamlTaskParser() {
    this(Map.of(), ConcurrencyGroups.FILES.get(0));
  }

  /**
   * A parser resolving {@code concurrency_group} against declared groups.
   *
   * @param groups the groups by name
   * @param groupsFile where they are declared, for errors
   */
  YamlTaskParser(Map<String, FlowControl.Group> groups, String groupsFile) {
    this.groups = Map.copyOf(groups);
    this.groupsFile = groupsFile;
  }

  /**
   * Parses one file's text, adding its tasks or its errors.
   *
   * @param file the file name to put in errors and origins
   * @param yaml the file's text
   */
  void parse(String file, String yaml) {
    int firstError = errors.size();
    Node root = compose(file, yaml, errors);
    if (root instanceof SequenceNode list) {
      for (int i = 0; i < list.getValue().size(); i++) {
        parseTask(file, list.getValue().get(i), i + 1);
      }
    } else if (root != null && !YamlNodes.isNull(root)) {
      error(file, root, "", "expected a list of tasks, each starting with '- name:', found "
          + YamlNodes.kind(root));
    }
    errors.subList(firstError, errors.size()).sort(Comparator.comparingInt(TaskError::line));
  }

  /**
   * Records a problem with a whole file, such as one that cannot be read.
   *
   * @param error the problem
   */
  void fileError(TaskError error) {
    errors.add(error);
  }

  /**
   * Returns the tasks parsed, or throws every error found.
   *
   * @return the tasks in file and position order
   * @throws TaskLoadException when any error was found
   */
  List<TaskDefinition> result() {
    if (!errors.isEmpty()) {
      throw new TaskLoadException(errors);
    }
    return List.copyOf(tasks);
  }

  /** The node tree of a file's text; null with an error added when it is not YAML. */
  static @Nullable Node compose(String file, String yaml, List<TaskError> errors) {
    LoaderOptions options = new LoaderOptions();
    // Task files are small and shallow: tight limits stop alias bombs and huge inputs early.
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(8 * 1024 * 1024);
    try {
      return new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      errors.add(new TaskError(file, mark == null ? 0 : mark.getLine() + 1, "",
          "YAML syntax error: " + context + e.getProblem()));
    } catch (YAMLException e) {
      errors.add(new TaskError(file, 0, "", "YAML error: " + e.getMessage()));
    }
    return null;
  }

  private void parseTask(String file, Node node, int position) {
    if (!(node instanceof MappingNode mapping)) {
      error(file, node, "", "task " + position + " is " + YamlNodes.kind(node)
          + "; a task is a mapping with name, triggers and command");
      return;
    }
    int errorsBefore = errors.size();
    String label = label(mapping, position);
    Map<String, Node> values = keys(file, mapping, label);
    YamlFields fields = new YamlFields(file, values, errors, label);
    String name = fields.name();
    List<String> triggers = fields.words("triggers", true, true);
    String command = fields.text("command");
    String log = fields.text("log");
    List<String> messages = fields.words("messages", false, false);
    Integer replay = fields.replay();
    Boolean parentSuccess = fields.bool("parent_success");
    Duration timeout = fields.timeout();
    Map<String, String> env = fields.env();
    List<String> onFailure = fields.words("on_failure", false, false);
    Integer concurrency = fields.number("concurrency", 1, 1_000_000,
        "expected a whole number, 1 or more: at most this many runs of the task at once");
    FlowControl.Group group = fields.group(groups, groupsFile);
    FlowControl.Overflow overflow = fields.overflow();
    FlowControl.Rate rate = fields.rate();
    Integer priority = fields.number("priority", 0, FlowControl.MAX_PRIORITY,
        "expected a whole number from 0 (the default) to 9, higher first");
    if (overflow != null && !values.containsKey("concurrency")
        && !values.containsKey("concurrency_group")) {
      error(file, values.get("overflow"), "overflow", label + ": overflow applies to a "
          + "concurrency limit; add concurrency or concurrency_group (a rate always waits)");
    }
    for (String required : List.of("name", "triggers", "command")) {
      if (!values.containsKey(required)) {
        error(file, mapping, required, label + ": missing required field");
      }
    }
    String origin = file + ":" + YamlNodes.line(mapping);
    if (name != null) {
      String first = origins.putIfAbsent(name, origin);
      if (first != null) {
        error(file, values.get("name"), "name",
            "duplicate task name '" + name + "', first defined at " + first);
      }
    }
    if (errors.size() > errorsBefore || name == null || command == null) {
      return;
    }
    try {
      tasks.add(new TaskDefinition(name, triggers, command, log, messages,
          replay == null ? TaskDefinition.UNLIMITED_REPLAY : replay,
          parentSuccess != null && parentSuccess, timeout, env, onFailure,
          new FlowControl(concurrency == null ? FlowControl.NO_LIMIT : concurrency, group,
              overflow == null ? FlowControl.Overflow.QUEUE : overflow, rate,
              priority == null ? 0 : priority), origin));
    } catch (IllegalArgumentException e) {
      error(file, mapping, "", label + ": " + e.getMessage());
    }
  }

  /** How errors refer to a task: by its name when it has a plain one, else by position. */
  private static String label(MappingNode mapping, int position) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")
          && tuple.getValueNode() instanceof ScalarNode value && !YamlNodes.isNull(value)
          && !value.getValue().isBlank()) {
        return "task '" + value.getValue() + "'";
      }
    }
    return "task " + position;
  }

  /** Reads the task's keys, reporting unknown and repeated ones. */
  private Map<String, Node> keys(String file, MappingNode mapping, String label) {
    Map<String, Node> values = new LinkedHashMap<>();
    Map<String, Integer> keyLines = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || YamlNodes.isNull(keyNode)) {
        error(file, keyNode, "", label + ": a key must be a plain word such as 'name', found "
            + YamlNodes.kind(keyNode));
        continue;
      }
      String key = scalar.getValue();
      Integer earlier = keyLines.putIfAbsent(key, YamlNodes.line(keyNode));
      if (earlier != null) {
        error(file, keyNode, key, label + ": key given twice (also on line " + earlier + ")");
      } else if (!KEYS.contains(key)) {
        error(file, keyNode, key, label + ": unknown key" + suggestion(key).map(
            s -> "; did you mean '" + s + "'?").orElse("; known keys: " + String.join(", ", KEYS)));
      } else {
        values.put(key, tuple.getValueNode());
      }
    }
    return values;
  }

  /** The known key meant by a misspelt one or a likely synonym, if any. */
  static Optional<String> suggestion(String key) {
    String lower = key.toLowerCase(Locale.ROOT).replace('-', '_');
    String synonym = SYNONYMS.get(lower);
    if (synonym != null) {
      return Optional.of(synonym);
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : KEYS) {
      int distance = NearestTrigger.distance(lower, known, bestDistance);
      if (distance < bestDistance) {
        best = known;
        bestDistance = distance;
      }
    }
    return bestDistance <= 2 || (best != null && bestDistance <= 3 && lower.length() > 8)
        ? Optional.ofNullable(best) : Optional.empty();
  }

  private void error(String file, @Nullable Node node, String field, String message) {
    errors.add(new TaskError(file, node == null ? 0 : YamlNodes.line(node), field, message));
  }

}
