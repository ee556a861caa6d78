package io.angora.engine.schedule;

import io.angora.api.TaskError;
import io.angora.engine.internal.yaml.YamlNodes;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Converts the values of one schedule's mapping, adding an error naming file, line and field
 * for each value of the wrong type or shape. Not thread-safe.
 */
final class ScheduleFields {
  private static final Pattern INTERVAL = Pattern.compile("(\\d{1,9})(s|m|h|d)");
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

  private final String file;
  private final Map<String, Node> values;
  private final List<TaskError> errors;
  private String label = "schedule";

  ScheduleFields(String file, Map<String, Node> values, List<TaskError> errors) {
    this.file = file;
    this.values = values;
    this.errors = errors;
  }

  /** How errors name the schedule, once its name is known. */
  void label(String value) {
    this.label = value;
  }

  @Nullable Timing timing(Node mapping) {
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
      String expression = text("cron");
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
          + "number of seconds (at least 1), found " + YamlNodes.describe(every));
      return null;
    }
    return Timing.every(interval);
  }

  private static @Nullable Duration interval(Node node) {
    if (!(node instanceof ScalarNode scalar) || YamlNodes.isNull(node)) {
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

  ZoneId zone() {
    if (!values.containsKey("zone")) {
      return Schedule.DEFAULT_ZONE;
    }
    String id = text("zone");
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

  Misfire misfire() {
    if (!values.containsKey("misfire")) {
      return Misfire.SKIP;
    }
    String value = text("misfire");
    if (value == null) {
      return Misfire.SKIP;
    }
    return Misfire.ofFileName(value.strip().toLowerCase(Locale.ROOT)).orElseGet(() -> {
      error(values.get("misfire"), "misfire", label + ": expected skip or fire_once, found '"
          + value + "'");
      return Misfire.SKIP;
    });
  }

  @Nullable Boolean bool(String field) {
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
    error(node, field, label + ": expected true or false, found " + YamlNodes.describe(node));
    return null;
  }

  /** A scalar as written; null with an error when empty, null or not a scalar. */
  @Nullable String text(String field) {
    Node node = values.get(field);
    if (node == null) {
      return null;
    }
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
    errors.add(new TaskError(file, node == null ? 0 : YamlNodes.line(node), field, message));
  }

}
