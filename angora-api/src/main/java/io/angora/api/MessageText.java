package io.angora.api;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one home of the rules for what may travel in a {@link Message}: its text, a trigger
 * pattern, its payload and the ids it carries (message, workflow, run ids and task names). Every
 * entry point (the Java API, HTTP, the AMQP decoder, the command line) checks with these rules,
 * so a message accepted by one is accepted by all. Stateless and thread-safe.
 *
 * <p>The {@code ...Problem} methods tell what is wrong, or nothing; the {@code check...}
 * methods throw {@link IllegalArgumentException} with a message naming the field and the
 * problem.
 */
public final class MessageText {
  /** The longest message text or trigger pattern accepted, in characters. */
  public static final int MAX_LENGTH = 255;
  /** The longest payload accepted, in UTF-8 bytes (it must fit in one AMQP frame's headers). */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
  /** The longest id accepted (message, workflow and run ids, task names), in characters. */
  public static final int MAX_ID_LENGTH = 200;

  private MessageText() {}

  /**
   * Tells what is wrong with a trigger pattern: empty, longer than {@value #MAX_LENGTH}
   * characters, containing whitespace or control characters, an empty word ({@code a..b}, a
   * leading or trailing dot), or a wildcard mixed with other characters in a word ({@code a*}).
   *
   * @param pattern the pattern, possibly null
   * @return a description of the problem, or empty when the pattern is valid
   */
  public static Optional<String> patternProblem(@Nullable String pattern) {
    return topicProblem(pattern, true);
  }

  /**
   * Tells what is wrong with a message text: the same rules as {@link #patternProblem}, and no
   * wildcard at all, since a message is concrete text.
   *
   * @param text the message text, possibly null
   * @return a description of the problem, or empty when the text is valid
   */
  public static Optional<String> messageProblem(@Nullable String text) {
    return topicProblem(text, false);
  }

  /**
   * Tells what is wrong with a payload: longer than {@value #MAX_PAYLOAD_BYTES} UTF-8 bytes, or
   * holding a NUL character (it becomes an environment variable). Null (no payload) is valid.
   *
   * @param payload the payload, possibly null
   * @return a description of the problem, or empty when the payload is valid
   */
  public static Optional<String> payloadProblem(@Nullable String payload) {
    if (payload == null) {
      return Optional.empty();
    }
    // A char is at most 3 UTF-8 bytes: count bytes only when the payload might be too long.
    if (payload.length() * 3L > MAX_PAYLOAD_BYTES) {
      int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_PAYLOAD_BYTES) {
        return Optional.of("is " + bytes + " bytes long; the limit is " + MAX_PAYLOAD_BYTES);
      }
    }
    int nul = payload.indexOf('\0');
    if (nul >= 0) {
      return Optional.of("contains a NUL character at position " + (nul + 1));
    }
    return Optional.empty();
  }

  /**
   * Tells what is wrong with an id (a message, workflow or run id, a task name): empty, longer
   * than {@value #MAX_ID_LENGTH} characters, holding a control or format character, a
   * {@code /} or {@code \}, or {@code ..}, since ids name log files and appear in log lines.
   *
   * @param id the id, possibly null
   * @return a description of the problem, or empty when the id is valid
   */
  public static Optional<String> idProblem(@Nullable String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("is empty");
    }
    if (id.length() > MAX_ID_LENGTH) {
      return Optional.of("is " + id.length() + " characters long; the limit is "
          + MAX_ID_LENGTH);
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (isControl(c)) {
        return Optional.of("contains a control character (U+" + hex(c) + ") at position "
            + (i + 1));
      }
      if (c == '/' || c == '\\') {
        return Optional.of("contains '" + c + "' at position " + (i + 1));
      }
    }
    if (id.contains("..")) {
      return Optional.of("contains '..'");
    }
    return Optional.empty();
  }

  /**
   * Tells what is wrong with a task name: empty, surrounded by whitespace, longer than
   * {@value #MAX_ID_LENGTH} characters, {@code .} or {@code ..}, or holding {@code /},
   * {@code \} or a control character (it names the task's log file and appears in URLs).
   *
   * @param name the name, possibly null
   * @return a description of the problem, or empty when the name is valid
   */
  public static Optional<String> taskNameProblem(@Nullable String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (!name.equals(name.strip())) {
      return Optional.of("must not start or end with whitespace");
    }
    if (name.length() > MAX_ID_LENGTH) {
      return Optional.of("is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("must not be '.' or '..'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || isControl(c)) {
        return Optional.of("must not contain '/', '\\' or control characters (it names the "
            + "log file)");
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a task name.
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException naming the task and what is wrong with it
   */
  public static String checkTaskName(@Nullable String name) {
    Optional<String> problem = taskNameProblem(name);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("invalid task name"
          + (name == null || name.isEmpty() ? "" : " '" + shown(name) + "'") + ": "
          + problem.get());
    }
    return name;
  }

  /**
   * Checks a message text.
   *
   * @param text the text
   * @return the text
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static String checkMessage(String text) {
    Optional<String> problem = messageProblem(text);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("invalid message '" + shown(text) + "': "
          + problem.get());
    }
    return text;
  }

  /**
   * Checks a payload.
   *
   * @param payload the payload, or null
   * @return the payload
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static @Nullable String checkPayload(@Nullable String payload) {
    Optional<String> problem = payloadProblem(payload);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("invalid payload: " + problem.get());
    }
    return payload;
  }

  /**
   * Checks an id.
   *
   * @param field what the id is, for the error (e.g. {@code workflow id})
   * @param id the id
   * @return the id
   * @throws IllegalArgumentException naming the field and what is wrong with it
   */
  public static String checkId(String field, @Nullable String id) {
    Optional<String> problem = idProblem(id);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("invalid " + field
          + (id == null || id.isEmpty() ? "" : " '" + shown(id) + "'") + ": " + problem.get());
    }
    return id;
  }

  /**
   * Checks every field of a message: its text (for a manual run, which names its task and whose
   * text is only a label such as {@code manual:<task>}, just its length and control
   * characters), payload and ids.
   *
   * @param message the message
   * @return the message
   * @throws IllegalArgumentException naming the first field found wrong
   */
  public static Message check(Message message) {
    checkId("message id", message.id());
    if (message.task() != null) {
      checkTaskName(message.task());
      Optional<String> problem = labelProblem(message.text());
      if (problem.isPresent()) {
        throw new IllegalArgumentException("invalid message text '" + shown(message.text())
            + "': " + problem.get());
      }
    } else {
      checkMessage(message.text());
    }
    checkPayload(message.payload());
    checkId("workflow id", message.workflowId());
    if (message.parentRunId() != null) {
      checkId("parent run id", message.parentRunId());
    }
    return message;
  }

  private static Optional<String> labelProblem(String text) {
    if (text.isEmpty()) {
      return Optional.of("is empty");
    }
    if (text.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters (" + text.length() + ")");
    }
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return Optional.of("contains a control character (U+" + hex(text.charAt(i))
            + ") at position " + (i + 1));
      }
    }
    return Optional.empty();
  }

  /** A text safe to quote in an error: control characters replaced, at most 80 characters. */
  private static String shown(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 83));
    for (int i = 0; i < text.length() && i < 80; i++) {
      char c = text.charAt(i);
      out.append(isControl(c) ? '?' : c);
    }
    return text.length() > 80 ? out.append("...").toString() : out.toString();
  }

  private static boolean isControl(char c) {
    return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }

  private static Optional<String> topicProblem(@Nullable String text, boolean wildcards) {
    if (text == null || text.isEmpty()) {
      return Optional.of("is empty");
    }
    if (text.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters (" + text.length() + ")");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || isControl(c)) {
        return Optional.of("contains whitespace or a control character (U+" + hex(c)
            + ") at position " + (i + 1));
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
          return Optional.of("has an empty word (two dots in a row)");
        }
        if (i - start > 1 && hasWildcard(text, start, i)) {
          return Optional.of("has the word '" + text.substring(start, i)
              + "': '*' and '#' are wildcards only as whole words, such as 'a.*.c' or 'a.#'");
        }
        start = i + 1;
      }
    }
    return Optional.empty();
  }

  private static boolean hasWildcard(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '#') {
        return true;
      }
    }
    return false;
  }
}
