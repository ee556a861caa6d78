package io.angora.amqp.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the wire, read and written with Jackson's streaming core under strict limits, so a
 * hostile body costs bounded time and memory and ends as a {@link MalformedDeliveryException},
 * never as another exception.
 *
 * <p>Values are {@code Map<String, Object>} (objects, keys in order), {@code List<Object>},
 * {@code String}, {@code Long} (integers that fit), {@link OtherNumber} (any other number, kept
 * as its text and never converted, so {@code 1e9999999999} costs nothing), {@code Boolean} and
 * {@code null}. Refused: anything not strict JSON (RFC 8259), trailing content, duplicate keys,
 * lone surrogates, nesting deeper than {@value #MAX_DEPTH}, a number longer than
 * {@value #MAX_NUMBER_CHARS} characters, a string longer than {@value #MAX_STRING_CHARS}, a
 * document longer than {@value #MAX_DOCUMENT_BYTES} bytes. Stateless and thread-safe.
 */
public final class WireJson {
  /** Deepest nesting of objects and arrays. */
  public static final int MAX_DEPTH = 16;
  /** Longest number, in characters. */
  public static final int MAX_NUMBER_CHARS = 40;
  /** Longest string, in characters (a job's output tail is at most 64 KiB of characters). */
  public static final int MAX_STRING_CHARS = 1024 * 1024;
  /** Longest document, in bytes. */
  public static final int MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxNumberLength(MAX_NUMBER_CHARS)
          .maxStringLength(MAX_STRING_CHARS)
          .maxNameLength(1024)
          .maxDocumentLength(MAX_DOCUMENT_BYTES)
          .build())
      .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  /**
   * A number that is not an integer fitting a {@code long}, kept as its JSON text.
   *
   * @param text the number as written
   */
  public record OtherNumber(String text) {}

  /**
   * JSON this class wrote before, written again as it is: a part of many documents that never
   * changes (a task's definition in every job of the task) is encoded once.
   */
  public static final class Raw {
    private final SerializedString json;

    private Raw(String json) {
      this.json = new SerializedString(json);
    }

    /**
     * Encodes a value once, to be written inside later documents.
     *
     * @param value as {@link #write(Object)} takes
     * @return the encoded value
     * @throws IllegalArgumentException as {@link #write(Object)} does
     */
    public static Raw of(@Nullable Object value) {
      return new Raw(new String(write(value), StandardCharsets.UTF_8));
    }
  }

  private WireJson() {}

  /**
   * Parses exactly one JSON value from UTF-8 bytes.
   *
   * @param json the bytes
   * @return the value
   * @throws MalformedDeliveryException if the bytes are not exactly one valid JSON value
   *     within the limits
   */
  public static @Nullable Object parse(byte[] json) {
    return parse(json, null);
  }

  /**
   * An object inside a document, checked but not turned into values: its bytes.
   *
   * @param document the whole document
   * @param start the offset of its opening brace
   * @param end the offset just after its closing brace
   */
  public record Slice(byte[] document, int start, int end) {
    /** A copy of the object's bytes. */
    public byte[] bytes() {
      return Arrays.copyOfRange(document, start, end);
    }

    /** Whether these are exactly the given bytes. */
    public boolean sameAs(byte[] other) {
      return Arrays.equals(document, start, end, other, 0, other.length);
    }

    /** A hash of the bytes. */
    public int hash() {
      int h = 1;
      for (int i = start; i < end; i++) {
        h = 31 * h + document[i];
      }
      return h;
    }
  }

  /**
   * Parses exactly one JSON value from UTF-8 bytes, as {@link #parse(byte[])}, except that in a
   * top-level object the value of field {@code unparsed}, when an object, is checked under the
   * same rules and returned as a {@link Slice} instead of a map.
   *
   * @param json the bytes
   * @param unparsed the top-level field to leave as bytes, or null
   * @return the value
   * @throws MalformedDeliveryException as {@link #parse(byte[])}
   */
  public static @Nullable Object parse(byte[] json, @Nullable String unparsed) {
    if (json.length > MAX_DOCUMENT_BYTES) {
      throw new MalformedDeliveryException("bad JSON: " + json.length + " bytes; the limit is "
          + MAX_DOCUMENT_BYTES);
    }
    try (JsonParser parser = FACTORY.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new MalformedDeliveryException("bad JSON: empty document");
      }
      Object value = value(parser, first, unparsed, json);
      if (parser.nextToken() != null) {
        throw new MalformedDeliveryException("bad JSON: unexpected content after the value at "
            + where(parser));
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new MalformedDeliveryException("bad JSON: " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      // Jackson signals its constraints and some bad input with runtime exceptions.
      throw new MalformedDeliveryException("bad JSON: " + e, e);
    }
  }

  private static @Nullable Object value(JsonParser parser, JsonToken token) throws IOException {
    return value(parser, token, null, null);
  }

  private static @Nullable Object value(JsonParser parser, JsonToken token,
      @Nullable String unparsed, byte @Nullable [] document) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = checked(parser.currentName(), parser);
          JsonToken next = parser.nextToken();
          if (document != null && next == JsonToken.START_OBJECT && name.equals(unparsed)) {
            map.put(name, slice(parser, document));
          } else {
            map.put(name, value(parser, next));
          }
        }
        return map;
      }
      case START_ARRAY -> {
        List<@Nullable Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(value(parser, t));
        }
        return list;
      }
      case VALUE_STRING -> {
        return checked(parser.getText(), parser);
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberType() == JsonParser.NumberType.INT
            || parser.getNumberType() == JsonParser.NumberType.LONG
            ? (Object) parser.getLongValue() : new OtherNumber(parser.getText());
      }
      case VALUE_NUMBER_FLOAT -> {
        return new OtherNumber(parser.getText());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new MalformedDeliveryException("bad JSON: unexpected " + token + " at "
          + where(parser));
    }
  }

  /** The object starting at the current token, every token checked as {@link #value} does. */
  private static Slice slice(JsonParser parser, byte[] document) throws IOException {
    long start = parser.currentTokenLocation().getByteOffset();
    int depth = 0;
    for (JsonToken t = parser.currentToken(); ; t = parser.nextToken()) {
      switch (t) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case FIELD_NAME -> checked(parser.currentName(), parser);
        case VALUE_STRING -> checked(parser.getText(), parser);
        default -> { }
      }
      if (depth == 0) {
        break;
      }
    }
    long end = parser.currentLocation().getByteOffset();
    if (start < 0 || end > document.length || start >= end || document[(int) start] != '{'
        || document[(int) end - 1] != '}') {
      throw new MalformedDeliveryException("bad JSON: object at byte " + start
          + " cannot be delimited");
    }
    return new Slice(document, (int) start, (int) end);
  }

  /** Strings with lone surrogates cannot be stored in UTF-8 (a database refuses them). */
  private static String checked(String s, JsonParser parser) {
    if (hasLoneSurrogate(s)) {
      throw new MalformedDeliveryException("bad JSON: lone surrogate in a string at "
          + where(parser));
    }
    return s;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String where(JsonParser parser) {
    return "byte " + parser.currentLocation().getByteOffset();
  }

  /**
   * Writes a value as compact UTF-8 JSON, control characters escaped.
   *
   * @param value a map with string keys, list, string, {@code Long} or {@code Integer},
   *     boolean, {@link Raw} or null
   * @return the JSON bytes
   * @throws IllegalArgumentException for other types or a string with a lone surrogate
   */
  public static byte[] write(@Nullable Object value) {
    ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler(), 512);
    try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      write(generator, value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getMessage(), e);
    }
    byte[] bytes = out.toByteArray();
    out.release();
    return bytes;
  }

  private static void write(JsonGenerator generator, @Nullable Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof String s) {
      checkWritable(s);
      generator.writeString(s);
    } else if (value instanceof Long l) {
      generator.writeNumber(l);
    } else if (value instanceof Integer i) {
      generator.writeNumber(i);
    } else if (value instanceof Boolean b) {
      generator.writeBoolean(b);
    } else if (value instanceof Raw raw) {
      generator.writeRawValue(raw.json);
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String name = (String) e.getKey();
        checkWritable(name);
        generator.writeFieldName(name);
        write(generator, e.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof List<?> list) {
      generator.writeStartArray();
      for (Object item : list) {
        write(generator, item);
      }
      generator.writeEndArray();
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  private static void checkWritable(String s) {
    if (hasLoneSurrogate(s)) {
      throw new IllegalArgumentException("cannot write a string with a lone surrogate as JSON");
    }
  }
}
