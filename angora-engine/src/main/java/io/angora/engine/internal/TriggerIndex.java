package io.angora.engine.internal;

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
  private final @Nullable TrieNode patterns;

  private TriggerIndex(List<TaskDefinition> tasks, Map<String, Entry> exact,
      @Nullable TrieNode patterns) {
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
   *     pattern (see {@link #patternProblem})
   */
  public static TriggerIndex build(Collection<TaskDefinition> tasks) {
    List<TaskDefinition> ordered = List.copyOf(tasks);
    Map<String, Entry> exact = new HashMap<>();
    TrieNode root = new TrieNode();
    boolean anyPattern = false;
    for (int id = 0; id < ordered.size(); id++) {
      TaskDefinition task = ordered.get(id);
      for (String trigger : task.triggers()) {
        Optional<String> problem = patternProblem(trigger);
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
    List<Entry> found = new ArrayList<>(4);
    if (hit != null) {
      found.add(hit);
    }
    patterns.collect(TopicWords.split(message), 0, found);
    if (found.isEmpty()) {
      return List.of();
    }
    Entry first = found.get(0);
    for (int i = 1; i < found.size(); i++) {
      if (found.get(i) != first) {
        return merge(found);
      }
    }
    return first.result;
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

  /**
   * Tells what is wrong with a trigger pattern: empty, longer than 255 characters, containing
   * whitespace or control characters, an empty word ({@code a..b}, a leading or trailing dot),
   * or a wildcard mixed with other characters in a word ({@code a*}).
   *
   * @param pattern the pattern, possibly null
   * @return a description of the problem, or empty when the pattern is valid
   */
  public static Optional<String> patternProblem(@Nullable String pattern) {
    return TopicWords.problem(pattern, true);
  }

  /**
   * Tells what is wrong with a message: the same rules as {@link #patternProblem}, and no
   * wildcard at all, since a message is concrete text.
   *
   * @param message the message, possibly null
   * @return a description of the problem, or empty when the message is valid
   */
  public static Optional<String> messageProblem(@Nullable String message) {
    return TopicWords.problem(message, false);
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
    List<TaskDefinition> result = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      if (i == 0 || ids[i] != ids[i - 1]) {
        result.add(tasks.get(ids[i]));
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** The tasks of one exact trigger or one pattern: ids ascending, and the list to return. */
  private static final class Entry {
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

  /** One word position of the pattern trie. Mutated only while building. */
  private static final class TrieNode {
    final Map<String, TrieNode> children = new HashMap<>();
    @Nullable TrieNode oneWord;
    @Nullable TrieNode anyWords;
    final Entry here = new Entry();

    Entry insert(String[] words, int i) {
      if (i == words.length) {
        return here;
      }
      String word = words[i];
      if (word.equals(TopicWords.ANY_WORDS)) {
        // '#.#' matches what '#' matches: folding repeats bounds the walk below.
        int next = i + 1;
        while (next < words.length && words[next].equals(TopicWords.ANY_WORDS)) {
          next++;
        }
        if (anyWords == null) {
          anyWords = new TrieNode();
        }
        return anyWords.insert(words, next);
      }
      if (word.equals(TopicWords.ONE_WORD)) {
        if (oneWord == null) {
          oneWord = new TrieNode();
        }
        return oneWord.insert(words, i + 1);
      }
      return children.computeIfAbsent(word, w -> new TrieNode()).insert(words, i + 1);
    }

    void freeze(List<TaskDefinition> tasks) {
      here.freeze(tasks);
      for (TrieNode child : children.values()) {
        child.freeze(tasks);
      }
      if (oneWord != null) {
        oneWord.freeze(tasks);
      }
      if (anyWords != null) {
        anyWords.freeze(tasks);
      }
    }

    void collect(String[] words, int i, List<Entry> found) {
      if (i == words.length) {
        // A pattern reached twice (as '#.a.#' can be) is added twice: the merge removes repeats.
        if (here.ids.length > 0) {
          found.add(here);
        }
        if (anyWords != null) {
          anyWords.collect(words, i, found);
        }
        return;
      }
      TrieNode child = children.get(words[i]);
      if (child != null) {
        child.collect(words, i + 1, found);
      }
      if (oneWord != null) {
        oneWord.collect(words, i + 1, found);
      }
      if (anyWords != null) {
        for (int j = i; j <= words.length; j++) {
          anyWords.collect(words, j, found);
        }
      }
    }

  }
}
