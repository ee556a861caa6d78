package io.angora.engine.internal;

import io.angora.api.TaskDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** TEMPORARY linear index until the real one lands. */
public final class TriggerIndex {
  private final List<TaskDefinition> tasks;

  private TriggerIndex(Collection<TaskDefinition> tasks) {
    this.tasks = List.copyOf(tasks);
  }

  public static TriggerIndex build(Collection<TaskDefinition> tasks) {
    return new TriggerIndex(tasks);
  }

  public List<TaskDefinition> match(String message) {
    List<TaskDefinition> out = new ArrayList<>();
    for (TaskDefinition t : tasks) {
      for (String trig : t.triggers()) {
        if (matches(trig, message)) {
          out.add(t);
          break;
        }
      }
    }
    return out;
  }

  public static boolean matches(String pattern, String message) {
    return match(pattern.split("\\.", -1), 0, message.split("\\.", -1), 0);
  }

  private static boolean match(String[] p, int i, String[] m, int j) {
    if (i == p.length) {
      return j == m.length;
    }
    if (p[i].equals("#")) {
      for (int k = j; k <= m.length; k++) {
        if (match(p, i + 1, m, k)) {
          return true;
        }
      }
      return false;
    }
    return j < m.length && (p[i].equals("*") || p[i].equals(m[j])) && match(p, i + 1, m, j + 1);
  }

  public static Optional<String> messageProblem(String message) {
    if (message.isEmpty()) {
      return Optional.of("message is empty");
    }
    return Optional.empty();
  }
}
