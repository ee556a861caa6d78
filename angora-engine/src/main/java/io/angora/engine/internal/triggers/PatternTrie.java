package io.angora.engine.internal.triggers;

import io.angora.api.TaskDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One word position of the trie of trigger patterns, and the walk that collects the patterns
 * matching a message. Mutable while {@link TriggerIndex#build} inserts patterns, then frozen:
 * after {@link #freeze} it is only read, so the frozen trie is safe to share between threads.
 *
 * <p>The walk reads the message by character position and never splits it: a word is looked
 * up among the literal children by a {@link String#hashCode}-compatible hash computed over its
 * character range, then compared in place, so a lookup allocates nothing unless several
 * distinct patterns match.
 */
final class PatternTrie {
  private static final String[] NO_KEYS = {};
  private static final PatternTrie[] NO_NODES = {};
  private static final int[] NO_HASHES = {};

  private @Nullable Map<String, PatternTrie> building = new HashMap<>();
  // Frozen children: open addressing, capacity a power of two at most half full.
  private String[] keys = NO_KEYS;
  private PatternTrie[] nodes = NO_NODES;
  private int[] hashes = NO_HASHES;
  private @Nullable PatternTrie oneWord;
  private @Nullable PatternTrie anyWords;
  private final TriggerIndex.Entry here = new TriggerIndex.Entry();

  /** Returns the entry of the pattern made of words[i..], creating the path as needed. */
  TriggerIndex.Entry insert(String[] words, int i) {
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
        anyWords = new PatternTrie();
      }
      return anyWords.insert(words, next);
    }
    if (word.equals(TopicWords.ONE_WORD)) {
      if (oneWord == null) {
        oneWord = new PatternTrie();
      }
      return oneWord.insert(words, i + 1);
    }
    Map<String, PatternTrie> children = building;
    if (children == null) {
      throw new IllegalStateException("pattern trie already frozen");
    }
    return children.computeIfAbsent(word, w -> new PatternTrie()).insert(words, i + 1);
  }

  /** Freezes the entries below and turns the children into the lookup table. */
  void freeze(List<TaskDefinition> tasks) {
    here.freeze(tasks);
    Map<String, PatternTrie> children = building;
    building = null;
    if (children != null && !children.isEmpty()) {
      int capacity = Integer.highestOneBit(Math.max(2, children.size() * 2 - 1)) << 1;
      keys = new String[capacity];
      nodes = new PatternTrie[capacity];
      hashes = new int[capacity];
      for (Map.Entry<String, PatternTrie> child : children.entrySet()) {
        int hash = child.getKey().hashCode();
        int slot = spread(hash) & (capacity - 1);
        while (keys[slot] != null) {
          slot = (slot + 1) & (capacity - 1);
        }
        keys[slot] = child.getKey();
        nodes[slot] = child.getValue();
        hashes[slot] = hash;
        child.getValue().freeze(tasks);
      }
    }
    if (oneWord != null) {
      oneWord.freeze(tasks);
    }
    if (anyWords != null) {
      anyWords.freeze(tasks);
    }
  }

  /**
   * Collects the entries of the patterns below this node that match the message from position
   * {@code at}: the start of a word, or {@code message.length() + 1} once every word is
   * consumed. Words are the texts between dots, so "a..b" has an empty middle word, as in
   * {@link TopicWords#split}.
   *
   * @param found what was collected so far: null, one {@link TriggerIndex.Entry}, or a list of
   *     them (owned by this call, so it may be added to)
   * @return {@code found} with this node's matches added, in the same three shapes
   */
  @Nullable Object collect(String message, int at, @Nullable Object found) {
    int length = message.length();
    if (at > length) {
      // A pattern reached twice (as '#.a.#' can be) is added twice: the merge removes repeats.
      if (here.ids.length > 0) {
        found = add(found, here);
      }
      return anyWords == null ? found : anyWords.collect(message, at, found);
    }
    int end = at;
    int hash = 0;
    while (end < length) {
      char c = message.charAt(end);
      if (c == '.') {
        break;
      }
      hash = 31 * hash + c;
      end++;
    }
    PatternTrie child = child(message, at, end - at, hash);
    if (child != null) {
      found = child.collect(message, end + 1, found);
    }
    if (oneWord != null) {
      found = oneWord.collect(message, end + 1, found);
    }
    if (anyWords != null) {
      // '#' takes zero, one, ... or all of the remaining words.
      int next = at;
      while (true) {
        found = anyWords.collect(message, next, found);
        if (next > length) {
          break;
        }
        int dot = message.indexOf('.', next);
        next = dot < 0 ? length + 1 : dot + 1;
      }
    }
    return found;
  }

  private @Nullable PatternTrie child(String message, int start, int count, int hash) {
    String[] table = keys;
    if (table.length == 0) {
      return null;
    }
    int mask = table.length - 1;
    int slot = spread(hash) & mask;
    String key;
    while ((key = table[slot]) != null) {
      if (hashes[slot] == hash && key.length() == count
          && key.regionMatches(0, message, start, count)) {
        return nodes[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  @SuppressWarnings("unchecked")
  private static Object add(@Nullable Object found, TriggerIndex.Entry entry) {
    if (found == null || found == entry) {
      return entry;
    }
    if (found instanceof TriggerIndex.Entry first) {
      List<TriggerIndex.Entry> list = new ArrayList<>(4);
      list.add(first);
      list.add(entry);
      return list;
    }
    ((List<TriggerIndex.Entry>) found).add(entry);
    return found;
  }
}
