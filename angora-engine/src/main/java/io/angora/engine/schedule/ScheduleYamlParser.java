package io.angora.engine.schedule;

import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Parses one schedules file on snakeyaml's node tree (which keeps line numbers), collecting
 * every error with file, line and field. One instance per file; not thread-safe.
 */
final class ScheduleYamlParser {
  private static final List<String> KEYS = List.of("name", "cron", "every", "zone", "message",
      "payload", "misfire", "paused");
  private static final Pattern INTERVAL = Pattern.compile("(\\d{1,9})(s|m|h|d)");
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

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
    } else if (root != null && !isNull(root)) {
      error(root, "", "expected a list of schedules, each starting with '- ', found "
          + kind(root));
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
      error(node, "", "schedule " + position + " is " + kind(node)
          + "; a schedule is a mapping with cron or every, and message");
      return null;
    }
    int before = errors.size();
    Map<String, Node> values = keys(mapping);
    String message = text(values, "message");
    String name = values.containsKey("name") ? text(values, "name")
        : message == null ? null : derivedName(message);
    String label = "schedule " + (name != null ? "'" + name + "'" : position);
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
    Timing timing = timing(values, mapping, label);
    ZoneId zone = zone(values, label);
    String payload = values.containsKey("payload") ? text(values, "payload") : null;
    Misfire misfire = misfire(values, label);
    Boolean paused = bool(values, "paused", label);
    if (name != null) {
      Node at = values.getOrDefault("name", values.get("message"));
      Schedule.nameProblem(name).ifPresent(problem -> error(at, "name", values.containsKey("name")
          ? problem : problem + "; give the schedule a name"));
      Integer first = names.putIfAbsent(name, line(at));
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
          paused != null && paused, file + ":" + line(mapping));
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
        error(key, name == null ? "" : name, "unknown key '" + (name == null ? kind(key) : name)
            + "'; known keys: " + String.join(", ", KEYS));
      } else if (values.putIfAbsent(name, tuple.getValueNode()) != null) {
        error(key, name, "key given twice");
      }
    }
    return values;
  }

  private @Nullable Timing timing(Map<String, Node> values, Node mapping, String label) {
    Node cron = values.get("cron");
    Node every = values.get("every");
    if (cron != null && every != null) {
      error(every, "every", label + ": give either cron or every, not both");
      return null;
    }
    if (cron == null && every == null) {
      error(mapping, "cron", label + ": missing cron or every");
      return null;
    }
    if (cron != null) {
      String expression = text(values, "cron");
      if (expression == null) {
        return null;
      }
      try {
        return Timing.cron(expression);
      } catch (IllegalArgumentException e) {
        error(cron, "cron", label + ": " + e.getMessage());
        return null;
      }
    }
    Duration interval = interval(every);
    if (interval == null) {
      error(every, "every", label + ": expected an interval such as 90s, 30m, 2h, 1d or a "
          + "number of seconds (at least 1), found " + describe(every));
      return null;
    }
    return Timing.every(interval);
  }

  private static @Nullable Duration interval(Node node) {
    if (!(node instanceof ScalarNode scalar) || isNull(node)) {
      return null;
    }
    String value = scalar.getValue().strip();
    if (Tag.INT.equals(node.getTag()) && SECONDS.matcher(value).matches()) {
      long seconds = Long.parseLong(value);
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }
    Matcher m = INTERVAL.matcher(value);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private ZoneId zone(Map<String, Node> values, String label) {
    if (!values.containsKey("zone")) {
      return Schedule.DEFAULT_ZONE;
    }
    String id = text(values, "zone");
    if (id == null) {
      return Schedule.DEFAULT_ZONE;
    }
    try {
      return ZoneId.of(id.strip());
    } catch (DateTimeException e) {
      error(values.get("zone"), "zone", label + ": unknown time zone '" + id
          + "'; use a region such as Europe/Paris or UTC");
      return Schedule.DEFAULT_ZONE;
    }
  }

  private Misfire misfire(Map<String, Node> values, String label) {
    if (!values.containsKey("misfire")) {
      return Misfire.SKIP;
    }
    String value = text(values, "misfire");
    if (value == null) {
      return Misfire.SKIP;
    }
    return Misfire.ofFileName(value.strip().toLowerCase(Locale.ROOT)).orElseGet(() -> {
      error(values.get("misfire"), "misfire", label + ": expected skip or fire_once, found '"
          + value + "'");
      return Misfire.SKIP;
    });
  }

  private @Nullable Boolean bool(Map<String, Node> values, String field, String label) {
    Node node = values.get(field);
    if (node == null) {
      return null;
    }
    if (node instanceof ScalarNode scalar && Tag.BOOL.equals(node.getTag())) {
      String value = scalar.getValue().toLowerCase(Locale.ROOT);
      if (value.equals("true") || value.equals("false")) {
        return Boolean.valueOf(value);
      }
    }
    error(node, field, label + ": expected true or false, found " + describe(node));
    return null;
  }

  /** A scalar as written; null with an error when empty, null or not a scalar. */
  private @Nullable String text(Map<String, Node> values, String field) {
    Node node = values.get(field);
    if (node == null) {
      return null;
    }
    if (!(node instanceof ScalarNode scalar) || isNull(node)) {
      error(node, field, "expected text, found " + kind(node));
      return null;
    }
    if (scalar.getValue().isBlank()) {
      error(node, field, "must not be empty");
      return null;
    }
    return scalar.getValue();
  }

  private void error(@Nullable Node node, String field, String message) {
    errors.add(new TaskError(file, node == null ? 0 : line(node), field, message));
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private static boolean isNull(Node node) {
    return Tag.NULL.equals(node.getTag());
  }

  private static String describe(Node node) {
    return node instanceof ScalarNode scalar && !isNull(node)
        ? "'" + scalar.getValue() + "'" : kind(node);
  }

  private static String kind(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    return isNull(node) ? "an empty value" : "the text '" + ((ScalarNode) node).getValue() + "'";
  }
}
