package io.angora.engine.internal;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Dot-separated words of messages and trigger patterns, AMQP topic style: splitting, checking
 * and the reference matcher. Stateless.
 */
final class TopicWords {
  /** The longest pattern or message accepted, in characters. */
  static final int MAX_LENGTH = 255;

  static final String ONE_WORD = "*";
  static final String ANY_WORDS = "#";

  private TopicWords() {}

  /** Splits on every dot, keeping empty words, so that "a..b" has three words. */
  static String[] split(String text) {
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '.') {
        count++;
      }
    }
    String[] words = new String[count];
    int start = 0;
    int w = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '.') {
        words[w++] = text.substring(start, i);
        start = i + 1;
      }
    }
    words[w] = text.substring(start);
    return words;
  }

  /** Whether the pattern has no wildcard word, so that it matches only itself. */
  static boolean isExact(String pattern) {
    return pattern.indexOf('*') < 0 && pattern.indexOf('#') < 0;
  }

  /**
   * Word-level wildcard matching: '#' plays the part of a glob's '*', '*' that of '?'. Greedy
   * with backtracking to the last '#', which is exact for this kind of pattern and linear in
   * the common case.
   */
  static boolean matches(String pattern, String message) {
    String[] p = split(pattern);
    String[] m = split(message);
    int pi = 0;
    int mi = 0;
    int lastAny = -1;
    int lastAnyMessage = 0;
    while (mi < m.length) {
      if (pi < p.length && p[pi].equals(ANY_WORDS)) {
        lastAny = pi++;
        lastAnyMessage = mi;
      } else if (pi < p.length && (p[pi].equals(ONE_WORD) || p[pi].equals(m[mi]))) {
        pi++;
        mi++;
      } else if (lastAny >= 0) {
        pi = lastAny + 1;
        mi = ++lastAnyMessage;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi].equals(ANY_WORDS)) {
      pi++;
    }
    return pi == p.length;
  }

  /** What is wrong with a pattern (wildcards allowed) or message (not allowed), if anything. */
  static Optional<String> problem(@Nullable String text, boolean wildcards) {
    if (text == null || text.isEmpty()) {
      return Optional.of("is empty");
    }
    if (text.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters (" + text.length() + ")");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
          || Character.getType(c) == Character.FORMAT) {
        return Optional.of("contains whitespace or a control character (U+"
            + String.format("%04X", (int) c) + ") at position " + (i + 1));
      }
      if (!wildcards && (c == '*' || c == '#')) {
        return Optional.of("contains the wildcard '" + c
            + "'; a message is concrete text, only triggers may use '*' and '#'");
      }
    }
    if (text.charAt(0) == '.') {
      return Optional.of("starts with a dot");
    }
    if (text.charAt(text.length() - 1) == '.') {
      return Optional.of("ends with a dot");
    }
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '.') {
        if (i == start) {
          return Optional.of("has an empty word (two dots in a row) at position " + i);
        }
        String word = text.substring(start, i);
        if (word.length() > 1 && (word.indexOf('*') >= 0 || word.indexOf('#') >= 0)) {
          return Optional.of("has the word '" + word
              + "': '*' and '#' are wildcards only as whole words, such as 'a.*.c' or 'a.#'");
        }
        start = i + 1;
      }
    }
    return Optional.empty();
  }
}
