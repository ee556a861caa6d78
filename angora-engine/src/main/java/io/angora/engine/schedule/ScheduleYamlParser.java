package io.angora.engine.schedule;

import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.engine.internal.yaml.YamlNodes;
import java.io.StringReader;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * Parses one schedules file on snakeyaml's node tree (which keeps line numbers), collecting
 * every error with file, line and field. One instance per file; not thread-safe.
 */
final class ScheduleYamlParser {
  private static final List<String> KEYS = List.of("name", "cron", "every", "zone", "message",
      "payload", "misfire", "paused");

  private final String file;
  private final List<TaskError> errors = new ArrayList<>();
  private final Map<String, Integer> names = new HashMap<>();

  ScheduleYamlParser(String file) {
    this.file = file;
  }

  List<Schedule> parse(String yaml) {
    List<Schedule> schedules = new ArrayList<>();
    Node root = compose(yaml);
    if (root instanceof SequenceNode list) {
      for (int i = 0; i < list.getValue().size(); i++) {
        Schedule schedule = entry(list.getValue().get(i), i + 1);
        if (schedule != null) {
          schedules.add(schedule);
        }
      }
    } else if (root != null && !YamlNodes.isNull(root)) {
      error(root, "", "expected a list of schedules, each starting with '- ', found "
          + YamlNodes.kind(root));
    }
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(TaskError::line));
      throw new TaskLoadException(errors);
    }
    return List.copyOf(schedules);
  }

  private @Nullable Node compose(String yaml) {
    LoaderOptions options = new LoaderOptions();
    // A schedules file is small and flat: tight limits stop alias bombs early.
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(10);
    options.setCodePointLimit(1024 * 1024);
    try {
      return new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      errors.add(new TaskError(file, mark == null ? 0 : mark.getLine() + 1, "",
          "YAML syntax error: " + (e.getContext() == null ? "" : e.getContext() + ": ")
              + e.getProblem()));
    } catch (YAMLException e) {
      errors.add(new TaskError(file, 0, "", "YAML error: " + e.getMessage()));
    }
    return null;
  }

  private @Nullable Schedule entry(Node node, int position) {
    if (!(node instanceof MappingNode mapping)) {
      error(node, "", "schedule " + position + " is " + YamlNodes.kind(node)
          + "; a schedule is a mapping with cron or every, and message");
      return null;
    }
    int before = errors.size();
    Map<String, Node> values = keys(mapping);
    ScheduleFields fields = new ScheduleFields(file, values, errors);
    String message = fields.text("message");
    String name = values.containsKey("name") ? fields.text("name")
        : message == null ? null : derivedName(message);
    String label = "schedule " + (name != null ? "'" + name + "'" : position);
    fields.label(label);
    if (message != null) {
      try {
        MessageTemplate.parse(message);
      } catch (IllegalArgumentException e) {
        error(values.get("message"), "message", label + ": message '" + message + "' "
            + e.getMessage());
        message = null;
        name = values.containsKey("name") ? name : null;
      }
    }
    if (!values.containsKey("message")) {
      error(mapping, "message", label + ": missing required field");
    }
    Timing timing = fields.timing(mapping);
    ZoneId zone = fields.zone();
    String payload = values.containsKey("payload") ? fields.text("payload") : null;
    Misfire misfire = fields.misfire();
    Boolean paused = fields.bool("paused");
    if (name != null) {
      Node at = values.getOrDefault("name", values.get("message"));
      Schedule.nameProblem(name).ifPresent(problem -> error(at, "name", values.containsKey("name")
          ? problem : problem + "; give the schedule a name"));
      Integer first = names.putIfAbsent(name, YamlNodes.line(at));
      if (first != null) {
        error(at, "name", "duplicate schedule name '" + name + "', first at line " + first
            + (values.containsKey("name") ? "" : "; give the schedules names"));
      }
    }
    if (errors.size() > before || name == null || message == null || timing == null) {
      return null;
    }
    try {
      return new Schedule(name, timing, zone, message, payload, misfire,
          paused != null && paused, file + ":" + YamlNodes.line(mapping));
    } catch (IllegalArgumentException e) {
      error(values.get("message"), "message", e.getMessage());
      return null;
    }
  }

  /** The default name: the message template without its braces, e.g. {@code time.HHmm}. */
  private static String derivedName(String message) {
    return message.replace("{", "").replace("}", "");
  }

  private Map<String, Node> keys(MappingNode mapping) {
    Map<String, Node> values = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node key = tuple.getKeyNode();
      String name = key instanceof ScalarNode scalar ? scalar.getValue() : null;
      if (name == null || !KEYS.contains(name)) {
        error(key, name == null ? "" : name, "unknown key '" + (name == null ? YamlNodes.kind(key) : name)
            + "'; known keys: " + String.join(", ", KEYS));
      } else if (values.putIfAbsent(name, tuple.getValueNode()) != null) {
        error(key, name, "key given twice");
      }
    }
    return values;
  }

  private void error(@Nullable Node node, String field, String message) {
    errors.add(new TaskError(file, node == null ? 0 : YamlNodes.line(node), field, message));
  }
}
