package io.angora.engine;

import io.angora.api.FlowControl;
import io.angora.api.MessageText;
import io.angora.api.TaskError;
import io.angora.engine.internal.yaml.YamlNodes;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the concurrency groups of a task directory, {@code groups.yml}: a list of
 * {@code - name: NAME} with {@code concurrency: N}, each group declared once, so that every
 * task naming it in {@code concurrency_group} gets the same limit. A missing file declares no
 * group. Errors name file, line and field, like the task files'. Not thread-safe.
 */
final class ConcurrencyGroups {
  /** The file names reserved for groups in a task directory. */
  static final List<String> FILES = List.of("groups.yml", "groups.yaml");

  private static final List<String> KEYS = List.of("name", "concurrency");

  private ConcurrencyGroups() {}

  /**
   * The groups file of a directory, whether it exists or not: {@code groups.yaml} when only it
   * exists, else {@code groups.yml}.
   */
  static Path file(Path directory) {
    Path yaml = directory.resolve(FILES.get(1));
    return Files.exists(yaml) && !Files.exists(directory.resolve(FILES.get(0)))
        ? yaml : directory.resolve(FILES.get(0));
  }

  /**
   * Reads the groups of a directory.
   *
   * @param directory the task directory
   * @param errors receives every problem found
   * @return the groups by name, in file order
   */
  static Map<String, FlowControl.Group> load(Path directory, List<TaskError> errors) {
    if (Files.exists(directory.resolve(FILES.get(0)))
        && Files.exists(directory.resolve(FILES.get(1)))) {
      errors.add(new TaskError(directory.resolve(FILES.get(1)).toString(), 0, "",
          "both groups.yml and groups.yaml exist; keep one"));
      return Map.of();
    }
    Path path = file(directory);
    if (!Files.exists(path)) {
      return Map.of();
    }
    try {
      return parse(path.toString(), Files.readString(path), errors);
    } catch (CharacterCodingException e) {
      errors.add(new TaskError(path.toString(), 0, "", "not valid UTF-8 text"));
    } catch (IOException e) {
      errors.add(new TaskError(path.toString(), 0, "", "cannot read: " + e));
    }
    return Map.of();
  }

  /**
   * Parses the text of a groups file.
   *
   * @param file the name to put in errors
   * @param yaml the text
   * @param errors receives every problem found
   * @return the groups by name, in file order
   */
  static Map<String, FlowControl.Group> parse(String file, String yaml, List<TaskError> errors) {
    Node root = YamlTaskParser.compose(file, yaml, errors);
    Map<String, FlowControl.Group> groups = new LinkedHashMap<>();
    if (root == null || YamlNodes.isNull(root)) {
      return groups;
    }
    if (!(root instanceof SequenceNode list)) {
      errors.add(new TaskError(file, YamlNodes.line(root), "", "expected a list of groups, "
          + "each '- name: NAME' with 'concurrency: N', found " + YamlNodes.kind(root)));
      return groups;
    }
    Map<String, Integer> lines = new HashMap<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node node = list.getValue().get(i);
      String label = "group " + (i + 1);
      if (!(node instanceof MappingNode mapping)) {
        errors.add(new TaskError(file, YamlNodes.line(node), "", label + " is "
            + YamlNodes.kind(node) + "; a group is a mapping with name and concurrency"));
        continue;
      }
      int before = errors.size();
      Map<String, Node> values = keys(file, mapping, label, errors);
      YamlFields fields = new YamlFields(file, values, errors, label);
      String name = fields.text("name");
      Integer limit = fields.number("concurrency", 1, 1_000_000,
          "expected a whole number, 1 or more: at most this many runs of the group at once");
      for (String required : KEYS) {
        if (!values.containsKey(required)) {
          errors.add(new TaskError(file, YamlNodes.line(mapping), required,
              label + ": missing required field"));
        }
      }
      if (name != null) {
        String problem = MessageText.taskNameProblem(name).orElse(null);
        Integer first = lines.putIfAbsent(name, YamlNodes.line(mapping));
        if (problem != null) {
          errors.add(new TaskError(file, YamlNodes.line(values.get("name")), "name",
              label + ": group name '" + name + "' " + problem));
        } else if (first != null) {
          errors.add(new TaskError(file, YamlNodes.line(values.get("name")), "name",
              "group '" + name + "' declared twice (first on line " + first + ")"));
        }
      }
      if (errors.size() == before && name != null && limit != null) {
        groups.put(name, new FlowControl.Group(name, limit));
      }
    }
    return groups;
  }

  private static Map<String, Node> keys(String file, MappingNode mapping, String label,
      List<TaskError> errors) {
    Map<String, Node> values = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      String key = keyNode instanceof ScalarNode scalar && !YamlNodes.isNull(keyNode)
          ? scalar.getValue() : null;
      if (key == null || !KEYS.contains(key)) {
        errors.add(new TaskError(file, YamlNodes.line(keyNode), key == null ? "" : key,
            label + ": unknown key; a group has only name and concurrency"));
      } else if (values.putIfAbsent(key, tuple.getValueNode()) != null) {
        errors.add(new TaskError(file, YamlNodes.line(keyNode), key, label
            + ": key given twice"));
      }
    }
    return values;
  }
}
