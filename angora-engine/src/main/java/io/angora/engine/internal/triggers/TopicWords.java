package io.angora.engine.internal.triggers;


/**
 * Dot-separated words of messages and trigger patterns, AMQP topic style: splitting and
 * matching (the rules of what is valid live in {@link io.angora.api.MessageText}). Stateless.
 */
final class TopicWords {
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
   * the common case. Works on character positions, without splitting, so it allocates
   * nothing. A position past the end (length + 1) means every word is consumed.
   */
  static boolean matches(String pattern, String message) {
    int patternEnd = pattern.length();
    int messageEnd = message.length();
    int p = 0;
    int m = 0;
    int lastAny = -1;
    int lastAnyMessage = 0;
    while (m <= messageEnd) {
      if (p <= patternEnd) {
        int pe = wordEnd(pattern, p);
        if (isWildcard(pattern, p, pe, '#')) {
          lastAny = p;
          lastAnyMessage = m;
          p = pe + 1;
          continue;
        }
        int me = wordEnd(message, m);
        if (isWildcard(pattern, p, pe, '*')
            || pe - p == me - m && pattern.regionMatches(p, message, m, pe - p)) {
          p = pe + 1;
          m = me + 1;
          continue;
        }
      }
      if (lastAny < 0) {
        return false;
      }
      p = wordEnd(pattern, lastAny) + 1;
      lastAnyMessage = wordEnd(message, lastAnyMessage) + 1;
      m = lastAnyMessage;
    }
    while (p <= patternEnd && isWildcard(pattern, p, wordEnd(pattern, p), '#')) {
      p = wordEnd(pattern, p) + 1;
    }
    return p > patternEnd;
  }

  private static int wordEnd(String text, int start) {
    int dot = text.indexOf('.', start);
    return dot < 0 ? text.length() : dot;
  }

  private static boolean isWildcard(String text, int start, int end, char wildcard) {
    return end - start == 1 && text.charAt(start) == wildcard;
  }
}
