package io.angora.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Command-line arguments: {@code --name value}, {@code --name=value}, flags, and positional
 * words. Unknown options are an error naming them.
 */
final class Args {
  private final Map<String, String> options = new HashMap<>();
  private final Map<String, List<String>> repeated = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  /**
   * Parses arguments.
   *
   * @param argv the words after the command name
   * @param valued options that take a value
   * @param flags options that take none
   * @return the parsed arguments
   * @throws UsageException on an unknown option or a missing value
   */
  static Args parse(List<String> argv, Set<String> valued, Set<String> flags) {
    Args args = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String word = argv.get(i);
      if (word.equals("--")) {
        args.positional.addAll(argv.subList(i + 1, argv.size()));
        break;
      }
      if (!word.startsWith("--") || word.length() == 2) {
        args.positional.add(word);
        continue;
      }
      String name = word.substring(2);
      @Nullable String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException("option --" + name + " takes no value");
        }
        args.options.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.size()) {
            throw new UsageException("option --" + name + " needs a value");
          }
          value = argv.get(++i);
        }
        args.options.put(name, value);
        args.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return args;
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** Every value of an option given more than once, in order (the last one counts for get). */
  List<String> all(String name) {
    return repeated.getOrDefault(name, List.of());
  }

  String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  int intValue(String name, int fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + name + " needs a number, not '" + value + "'");
    }
  }

  List<String> positional() {
    return positional;
  }

  /** A command line that cannot be understood; its message is shown with the usage. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
