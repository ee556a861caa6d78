package io.angora.amqp.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes compact JSON for the values {@link JsonReader} reads: maps with string keys, lists,
 * strings, integers, {@code BigDecimal}, booleans and null. Control characters are escaped, so
 * the output is always one line. Stateless and thread-safe.
 */
public final class JsonWriter {
  private JsonWriter() {}

  /**
   * Writes a value as compact JSON.
   *
   * @param value a map, list, string, number, boolean or null
   * @return the JSON text
   * @throws IllegalArgumentException for other types or a string with a lone surrogate
   */
  public static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder(256);
    writeValue(out, value);
    return out.toString();
  }

  private static void writeValue(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof BigDecimal) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, (String) e.getKey());
        out.append(':');
        writeValue(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        writeValue(out, list.get(i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  private static void writeString(StringBuilder out, String s) {
    try {
      JsonReader.checkSurrogates(s);
    } catch (MalformedDeliveryException e) {
      throw new IllegalArgumentException("cannot write a string with a lone surrogate as JSON", e);
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
