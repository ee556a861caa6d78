package io.angora.http.internal;

import io.angora.engine.internal.triggers.TriggerIndex;
import io.angora.http.HttpException;
import java.util.Optional;

/**
 * Checks message strings and ids arriving over HTTP before they reach the engine: a length
 * limit, no control characters, and the engine's own rules. Immutable, thread-safe.
 */
public final class MessageRules {
  private final int maxLength;

  /**
   * Creates the rules.
   *
   * @param maxLength the longest message string accepted
   */
  public MessageRules(int maxLength) {
    this.maxLength = maxLength;
  }

  /**
   * Checks a message string.
   *
   * @param text the message
   * @throws HttpException 400 naming the problem
   */
  public void checkMessage(String text) {
    checkText("msg", text, maxLength);
    Optional<String> problem = TriggerIndex.messageProblem(text);
    if (problem.isPresent()) {
      throw new HttpException(400, "invalid message '" + text + "': " + problem.get());
    }
  }

  /**
   * Checks a short identifier-like field such as a workflow id.
   *
   * @param field the field's name, for the error
   * @param value the value
   * @throws HttpException 400 naming the problem
   */
  public void checkId(String field, String value) {
    checkText(field, value, 255);
  }

  private static void checkText(String field, String value, int max) {
    if (value.isEmpty()) {
      throw new HttpException(400, "'" + field + "' must not be empty");
    }
    if (value.length() > max) {
      throw new HttpException(400, "'" + field + "' is " + value.length()
          + " characters long; the limit is " + max);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new HttpException(400, "'" + field + "' contains a control character at index "
            + i);
      }
    }
  }
}
