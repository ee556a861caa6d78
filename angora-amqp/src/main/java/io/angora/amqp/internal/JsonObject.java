package io.angora.amqp.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed, checked access to the fields of a parsed JSON object. Every getter names the object and
 * field in its {@link MalformedDeliveryException}. Unknown fields are ignored, so a newer sender
 * may add fields. Not thread-safe (used by one decoding call).
 */
public final class JsonObject {
  private final String where;
  private final Map<?, ?> fields;

  private JsonObject(String where, Map<?, ?> fields) {
    this.where = where;
    this.fields = fields;
  }

  /**
   * Parses UTF-8 JSON that must be an object.
   *
   * @param json the bytes
   * @param where what the object is, for error messages (e.g. {@code job})
   * @return the object
   * @throws MalformedDeliveryException if the bytes are not a JSON object
   */
  public static JsonObject parse(byte[] json, String where) {
    StrictUtf8.decode(json, where); // Jackson's own check is lenient about some forms
    return of(WireJson.parse(json), where);
  }

  /**
   * Parses UTF-8 JSON that must be an object, leaving the object under one top-level key as
   * checked bytes ({@link #slice}).
   *
   * @param json the bytes
   * @param where what the object is, for error messages
   * @param unparsed the top-level key whose object is left as bytes
   * @return the object
   * @throws MalformedDeliveryException if the bytes are not a JSON object
   */
  public static JsonObject parse(byte[] json, String where, String unparsed) {
    StrictUtf8.decode(json, where);
    return of(WireJson.parse(json, unparsed), where);
  }

  /** The bytes of the object under a key left unparsed, which must be present. */
  WireJson.Slice slice(String key) {
    Object v = require(key);
    if (v instanceof WireJson.Slice slice) {
      return slice;
    }
    throw wrongType(key, "an object");
  }

  /** The object under a key left unparsed, parsed now. */
  static JsonObject parseSlice(WireJson.Slice slice, String where) {
    return of(WireJson.parse(slice.bytes()), where);
  }

  private static JsonObject of(@Nullable Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      return new JsonObject(where, map);
    }
    throw new MalformedDeliveryException(where + " must be a JSON object");
  }

  /** The object under a key, which must be present. */
  JsonObject object(String key) {
    return of(require(key), where + "." + key);
  }

  /** A required string. */
  String string(String key) {
    Object v = require(key);
    if (v instanceof String s) {
      return s;
    }
    throw wrongType(key, "a string");
  }

  /** Whether the object has the key with a value other than null. */
  boolean has(String key) {
    return fields.get(key) != null;
  }

  /** An optional string: absent or null gives null. */
  @Nullable String optionalString(String key) {
    return fields.get(key) == null ? null : string(key);
  }

  /** A required integer that fits an int. */
  int integer(String key) {
    Object v = require(key);
    if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    throw wrongType(key, "an integer");
  }

  /** A required integer that is not negative. */
  long count(String key) {
    Object v = require(key);
    if (v instanceof Long l && l >= 0) {
      return l;
    }
    throw wrongType(key, "an integer, 0 or more");
  }

  /** A required, non-empty list of objects, each named {@code key[i]} in errors. */
  List<JsonObject> objects(String key) {
    Object v = require(key);
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw wrongType(key, "a non-empty list of objects");
    }
    List<JsonObject> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(of(list.get(i), where + "." + key + "[" + i + "]"));
    }
    return out;
  }

  /** An optional integer. */
  @Nullable Integer optionalInteger(String key) {
    return fields.get(key) == null ? null : integer(key);
  }

  /** A required boolean. */
  boolean bool(String key) {
    Object v = require(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(key, "true or false");
  }

  /** A required ISO-8601 instant. */
  Instant instant(String key) {
    String s = string(key);
    try {
      return WireInstants.check(WireInstants.parse(s), where + "." + key);
    } catch (DateTimeParseException e) {
      throw new MalformedDeliveryException(where + "." + key + " is not an ISO-8601 instant", e);
    }
  }

  /** An optional ISO-8601 duration. */
  @Nullable Duration optionalDuration(String key) {
    String s = optionalString(key);
    if (s == null) {
      return null;
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new MalformedDeliveryException(where + "." + key + " is not an ISO-8601 duration", e);
    }
  }

  /** A required list of strings. */
  List<String> strings(String key) {
    Object v = require(key);
    if (!(v instanceof List<?> list)) {
      throw wrongType(key, "a list of strings");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof String s)) {
        throw wrongType(key, "a list of strings");
      }
      out.add(s);
    }
    return out;
  }

  /** A required object whose values are all strings. */
  Map<String, String> stringMap(String key) {
    Object v = require(key);
    if (!(v instanceof Map<?, ?> map)) {
      throw wrongType(key, "an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw wrongType(key, "an object of strings");
      }
      out.put((String) e.getKey(), s);
    }
    return out;
  }

  private Object require(String key) {
    Object v = fields.get(key);
    if (v == null) {
      throw new MalformedDeliveryException(where + "." + key + " is missing");
    }
    return v;
  }

  private MalformedDeliveryException wrongType(String key, String expected) {
    return new MalformedDeliveryException(where + "." + key + " must be " + expected);
  }
}
