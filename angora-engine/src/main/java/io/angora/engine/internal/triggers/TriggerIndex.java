package io.angora.engine.internal.triggers;

import io.angora.api.MessageText;
import io.angora.api.TaskDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the tasks whose triggers match a message, following AMQP topic rules: words are
 * separated by dots, {@code *} matches exactly one word and {@code #} zero or more words.
 *
 * <p>Exact triggers are looked up by hash; patterns live in a trie of words, so a lookup costs
 * one hash probe plus a walk bounded by the message's words and the shape of the patterns, not
 * by the number of tasks. Built once per task set; immutable and safe to share between
 * threads.
 */
public final class TriggerIndex {
  private static final int[] NO_IDS = {};

  private final List<TaskDefinition> tasks;
  private final Map<String, Entry> exact;
  private final @Nullable PatternTrie patterns;

  private TriggerIndex(List<TaskDefinition> tasks, Map<String, Entry> exact,
      @Nullable PatternTrie patterns) {
    this.tasks = tasks;
    this.exact = exact;
    this.patterns = patterns;
  }

  /**
   * Indexes tasks by their triggers.
   *
   * @param tasks the tasks, in the order {@link #match} returns them
   * @return the index
   * @throws IllegalArgumentException naming the task and trigger when a trigger is not a valid
   *     pattern (see {@link MessageText#patternProblem})
   */
  public static TriggerIndex build(Collection<TaskDefinition> tasks) {
    List<TaskDefinition> ordered = List.copyOf(tasks);
    Map<String, Entry> exact = new HashMap<>();
    PatternTrie root = new PatternTrie();
    boolean anyPattern = false;
    for (int id = 0; id < ordered.size(); id++) {
      TaskDefinition task = ordered.get(id);
      for (String trigger : task.triggers()) {
        Optional<String> problem = MessageText.patternProblem(trigger);
        if (problem.isPresent()) {
          throw new IllegalArgumentException("task '" + task.name() + "': trigger '" + trigger
              + "' " + problem.get());
        }
        if (TopicWords.isExact(trigger)) {
          exact.computeIfAbsent(trigger, k -> new Entry()).add(id);
        } else {
          anyPattern = true;
          root.insert(TopicWords.split(trigger), 0).add(id);
        }
      }
    }
    for (Entry entry : exact.values()) {
      entry.freeze(ordered);
    }
    root.freeze(ordered);
    return new TriggerIndex(ordered, exact, anyPattern ? root : null);
  }

  /**
   * Returns every task with a trigger matching the message, each once even when several of its
   * triggers match, in the order the tasks were given to {@link #build}.
   *
   * @param message the message text
   * @return the matching tasks, possibly empty; unmodifiable
   */
  public List<TaskDefinition> match(String message) {
    Entry hit = exact.get(message);
    if (patterns == null) {
      return hit == null ? List.of() : hit.result;
    }
    // Null, one entry or a list of entries: a single matching pattern allocates nothing.
    Object found = patterns.collect(message, 0, hit);
    if (found == null) {
      return List.of();
    }
    if (found instanceof Entry single) {
      return single.result;
    }
    @SuppressWarnings("unchecked")
    List<Entry> entries = (List<Entry>) found;
    return merge(entries);
  }

  /**
   * Returns the indexed tasks.
   *
   * @return every task, in the order given to {@link #build}
   */
  public List<TaskDefinition> tasks() {
    return tasks;
  }

  /**
   * Tells whether a trigger pattern matches a message: the reference implementation of the
   * rules {@link #match} follows.
   *
   * @param pattern a trigger pattern
   * @param message a message text
   * @return true when the message matches the pattern
   */
  public static boolean matches(String pattern, String message) {
    return TopicWords.matches(pattern, message);
  }

  private List<TaskDefinition> merge(List<Entry> found) {
    int total = 0;
    for (Entry entry : found) {
      total += entry.ids.length;
    }
    int[] ids = new int[total];
    int n = 0;
    for (Entry entry : found) {
      System.arraycopy(entry.ids, 0, ids, n, entry.ids.length);
      n += entry.ids.length;
    }
    Arrays.sort(ids);
    if (ids[0] == ids[total - 1]) {
      // One task reached through several triggers: its entries' lists all hold just it.
      return found.get(0).result;
    }
    List<TaskDefinition> result = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      if (i == 0 || ids[i] != ids[i - 1]) {
        result.add(tasks.get(ids[i]));
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** The tasks of one exact trigger or one pattern: ids ascending, and the list to return. */
  static final class Entry {
    int[] ids = NO_IDS;
    int size;
    List<TaskDefinition> result = List.of();

    void add(int id) {
      // Tasks are added in order, so a repeat can only be the last one (one task, two triggers).
      if (size > 0 && ids[size - 1] == id) {
        return;
      }
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, Math.max(4, size * 2));
      }
      ids[size++] = id;
    }

    void freeze(List<TaskDefinition> tasks) {
      ids = Arrays.copyOf(ids, size);
      List<TaskDefinition> list = new ArrayList<>(size);
      for (int id : ids) {
        list.add(tasks.get(id));
      }
      result = Collections.unmodifiableList(list);
    }
  }
}
