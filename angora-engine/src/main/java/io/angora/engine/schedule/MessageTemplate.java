package io.angora.engine.schedule;

import io.angora.api.MessageText;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A message with placeholders for the fire time, such as {@code time.{HHmm}}. A placeholder is
 * {@code {epoch}} (seconds since the epoch) or a date-time pattern made of the letters
 * {@code y M d H m s} ({@code {yyyyMMdd}}, {@code {HH}}, ...), formatted in the schedule's zone.
 * Immutable.
 */
final class MessageTemplate {
  private static final Pattern DATE_TIME = Pattern.compile("[yMdHms]+");
  /** A fire time whose fields all differ, to check what a template expands to. */
  private static final ZonedDateTime SAMPLE =
      LocalDateTime.of(2001, 12, 24, 13, 45, 56).atZone(ZoneOffset.UTC);

  private final List<Part> parts;

  private MessageTemplate(List<Part> parts) {
    this.parts = parts;
  }

  /**
   * Parses a template and checks that it expands to a valid message.
   *
   * @param template the template
   * @return the parsed template
   * @throws IllegalArgumentException naming the problem
   */
  static MessageTemplate parse(String template) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = template.indexOf('}', i);
      if (close >= 0 && (open < 0 || close < open)) {
        throw new IllegalArgumentException("'}' at position " + (close + 1)
            + " closes no placeholder");
      }
      if (open < 0) {
        parts.add(new Literal(template.substring(i)));
        break;
      }
      if (close < 0) {
        throw new IllegalArgumentException("placeholder opened at position " + (open + 1)
            + " is not closed with '}'");
      }
      if (open > i) {
        parts.add(new Literal(template.substring(i, open)));
      }
      parts.add(placeholder(template.substring(open + 1, close)));
      i = close + 1;
    }
    MessageTemplate parsed = new MessageTemplate(List.copyOf(parts));
    String sample = parsed.expand(SAMPLE);
    Optional<String> problem = MessageText.messageProblem(sample);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(parts.stream().anyMatch(p -> !(p instanceof Literal))
          ? "expands to '" + sample + "', which " + problem.get() : problem.get());
    }
    return parsed;
  }

  private static Part placeholder(String name) {
    if (name.equals("epoch")) {
      return new Epoch();
    }
    if (!DATE_TIME.matcher(name).matches()) {
      throw new IllegalArgumentException("unknown placeholder '{" + name + "}'; use {epoch} or "
          + "a date-time pattern of the letters y M d H m s, such as {HHmm} or {yyyyMMdd}");
    }
    return new DateTime(DateTimeFormatter.ofPattern(name, Locale.ROOT));
  }

  /**
   * The message for a fire time.
   *
   * @param fireTime the fire time, in the schedule's zone
   * @return the message text
   */
  String expand(ZonedDateTime fireTime) {
    StringBuilder text = new StringBuilder();
    for (Part part : parts) {
      text.append(part.expand(fireTime));
    }
    return text.toString();
  }

  /** A piece of the template. */
  private sealed interface Part permits Literal, Epoch, DateTime {
    String expand(ZonedDateTime fireTime);
  }

  private record Literal(String text) implements Part {
    @Override
    public String expand(ZonedDateTime fireTime) {
      return text;
    }
  }

  private record Epoch() implements Part {
    @Override
    public String expand(ZonedDateTime fireTime) {
      return Long.toString(fireTime.toEpochSecond());
    }
  }

  private record DateTime(DateTimeFormatter format) implements Part {
    @Override
    public String expand(ZonedDateTime fireTime) {
      return format.format(fireTime);
    }
  }
}
