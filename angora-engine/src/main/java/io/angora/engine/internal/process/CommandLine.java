package io.angora.engine.internal.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a command line into words the way a POSIX shell does, and expands variables, without
 * running a shell.
 *
 * <ul>
 *   <li>Words are separated by spaces, tabs and line breaks.
 *   <li>Single quotes keep everything literally up to the next single quote.
 *   <li>Double quotes keep everything literally except {@code $} expansions and the escapes
 *       {@code \"}, {@code \\}, {@code \$} and {@code \`}; any other backslash stays.
 *   <li>Outside quotes a backslash makes the next character literal; a backslash before a line
 *       break joins the lines.
 *   <li>Quoted and unquoted parts that touch form one word; {@code ""} is an empty word.
 *   <li>{@code $NAME} and {@code ${NAME}} are replaced by the variable's value outside quotes
 *       and inside double quotes. An unknown variable is left as written (like the original
 *       Angora, and Python's {@code os.path.expandvars}); a {@code $} not followed by a name
 *       stays literal.
 *   <li>An expanded value is never split again nor parsed: a value with spaces, quotes or
 *       {@code $} stays inside its one word. This is what keeps message text and payload, which
 *       reach a job only through environment variables, from ever becoming extra arguments. A
 *       word made only of unquoted expansions that are empty is dropped, as a shell does.
 *   <li>There is no globbing, command substitution, pipe, redirection, comment or command
 *       separator: {@code * | > ; & # `} and {@code $(} are ordinary characters.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class CommandLine {

  private CommandLine() {}

  /**
   * Splits a command line into words, expanding variables.
   *
   * @param task the task the command belongs to, named in errors
   * @param command the command line
   * @param environment where variables are looked up
   * @return the words, possibly none
   * @throws CommandSyntaxException if a quote is not closed
   */
  public static List<String> split(String task, String command, Map<String, String> environment) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int n = command.length();
    int i = 0;
    while (i < n) {
      char c = command.charAt(i);
      switch (c) {
        case ' ', '\t', '\n', '\r' -> {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
          i++;
        }
        case '\'' -> {
          int end = command.indexOf('\'', i + 1);
          if (end < 0) {
            throw new CommandSyntaxException(task, i + 1, "unterminated single quote");
          }
          word.append(command, i + 1, end);
          inWord = true;
          i = end + 1;
        }
        case '"' -> {
          i = doubleQuoted(task, command, i, environment, word);
          inWord = true;
        }
        case '\\' -> {
          if (i + 1 == n) {
            word.append('\\'); // a trailing backslash escapes nothing: keep it, as sh -c does
            inWord = true;
          } else if (command.charAt(i + 1) != '\n') {
            word.append(command.charAt(i + 1));
            inWord = true;
          }
          i += 2;
        }
        case '$' -> {
          int before = word.length();
          i = dollar(command, i, environment, word);
          inWord |= word.length() > before;
        }
        default -> {
          word.append(c);
          inWord = true;
          i++;
        }
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * Expands {@code $NAME} and {@code ${NAME}} in a text that is not a command line, such as a
   * log directory or an environment value: quotes and backslashes are kept as they are.
   *
   * @param text the text
   * @param environment where variables are looked up
   * @return the text with every known variable replaced by its value
   */
  public static String expand(String text, Map<String, String> environment) {
    int dollar = text.indexOf('$');
    if (dollar < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32).append(text, 0, dollar);
    int i = dollar;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$') {
        i = dollar(text, i, environment, out);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Appends a double-quoted part starting at {@code open}; returns the index after it. */
  private static int doubleQuoted(String task, String command, int open,
      Map<String, String> environment, StringBuilder word) {
    int n = command.length();
    int i = open + 1;
    while (i < n) {
      char c = command.charAt(i);
      if (c == '"') {
        return i + 1;
      } else if (c == '\\' && i + 1 < n) {
        char next = command.charAt(i + 1);
        if (next == '"' || next == '\\' || next == '$' || next == '`') {
          word.append(next);
        } else if (next != '\n') {
          word.append(c).append(next);
        }
        i += 2;
      } else if (c == '$') {
        i = dollar(command, i, environment, word);
      } else {
        word.append(c);
        i++;
      }
    }
    throw new CommandSyntaxException(task, open + 1, "unterminated double quote");
  }

  /**
   * Appends the expansion of the {@code $} at {@code at}, or the text as written when it names
   * no known variable; returns the index after what was consumed.
   */
  private static int dollar(String text, int at, Map<String, String> environment,
      StringBuilder out) {
    int n = text.length();
    if (at + 1 < n && text.charAt(at + 1) == '{') {
      int close = text.indexOf('}', at + 2);
      if (close > at + 2 && nameEnd(text, at + 2) == close) {
        String value = environment.get(text.substring(at + 2, close));
        out.append(value != null ? value : text.substring(at, close + 1));
        return close + 1;
      }
    } else if (at + 1 < n && isNameStart(text.charAt(at + 1))) {
      int end = nameEnd(text, at + 1);
      String value = environment.get(text.substring(at + 1, end));
      out.append(value != null ? value : text.substring(at, end));
      return end;
    }
    out.append('$');
    return at + 1;
  }

  /** The index after the longest variable name starting at {@code start}. */
  private static int nameEnd(String text, int start) {
    int i = start;
    if (i < text.length() && isNameStart(text.charAt(i))) {
      i++;
      while (i < text.length() && (isNameStart(text.charAt(i)) || isDigit(text.charAt(i)))) {
        i++;
      }
    }
    return i;
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
