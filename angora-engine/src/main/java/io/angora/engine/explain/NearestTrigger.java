package io.angora.engine.explain;

import io.angora.api.TaskDefinition;
import java.util.Collection;
import java.util.Optional;

/**
 * The trigger closest to a message that matched none, by edit distance (insertions, deletions
 * and substitutions of one character each), to suggest what was meant. Stateless.
 */
public final class NearestTrigger {
  private NearestTrigger() {}

  /**
   * The nearest trigger.
   *
   * @param message the message that triggered nothing
   * @param tasks the tasks in force
   * @return the trigger at the smallest distance (the first in definition order on a tie), or
   *     empty without tasks
   */
  public static Optional<String> to(String message, Collection<TaskDefinition> tasks) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (TaskDefinition task : tasks) {
      for (String trigger : task.triggers()) {
        int d = distance(message, trigger, bestDistance);
        if (d < bestDistance) {
          best = trigger;
          bestDistance = d;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The Levenshtein distance, or a value of at least {@code bound} once it cannot be smaller:
   * the one edit distance of the engine (suggestions for task-file keys use it too).
   *
   * @param a one string
   * @param b the other
   * @param bound the distance that is no longer interesting
   * @return the distance, or at least {@code bound}
   */
  public static int distance(String a, String b, int bound) {
    if (Math.abs(a.length() - b.length()) >= bound) {
      return bound;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1),
            previous[j - 1] + cost);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin >= bound) {
        return bound;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
