package io.angora.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.angora.http.HttpException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads a request body's fields from a form or a flat JSON object. Stateless. */
public final class Bodies {
  private Bodies() {}

  /**
   * Parses a body's fields.
   *
   * @param contentType the request's content type, or null
   * @param body the body
   * @return field name to value
   * @throws HttpException 400 for a malformed body, 415 for an unsupported content type
   */
  public static Map<String, String> fields(@Nullable String contentType, byte[] body) {
    String type = contentType == null ? ""
        : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (type.equals("application/json") || type.endsWith("+json")) {
      return body.length == 0 ? Map.of() : jsonFields(Json.read(body));
    }
    // curl -d sends a form; a client that names no type is read the same way.
    if (type.isEmpty() || type.equals("application/x-www-form-urlencoded")) {
      Map<String, String> out = new LinkedHashMap<>();
      decodeForm(new String(body, StandardCharsets.UTF_8))
          .forEach((k, v) -> out.putIfAbsent(k, v.get(0)));
      return out;
    }
    throw new HttpException(415, "unsupported content type '" + type
        + "'; send application/x-www-form-urlencoded or application/json");
  }

  /**
   * Decodes a form or query string.
   *
   * @param encoded e.g. {@code msg=time.0105&payload=x}
   * @return name to values, in order
   * @throws HttpException 400 for a malformed escape
   */
  public static Map<String, List<String>> decodeForm(String encoded) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String part) {
    try {
      return URLDecoder.decode(part, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpException(400, "malformed percent-encoding in form or query");
    }
  }

  private static Map<String, String> jsonFields(JsonNode node) {
    if (!node.isObject()) {
      throw new HttpException(400, "expected a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      if (!value.isValueNode()) {
        throw new HttpException(400, "field '" + field.getKey()
            + "' must be a string, number or boolean");
      }
      out.put(field.getKey(), value.asText());
    }
    return out;
  }
}
