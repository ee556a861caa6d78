package io.angora.http.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.angora.http.HttpException;
import java.time.Duration;
import java.time.Instant;

/**
 * JSON in and out. Jackson's {@link ObjectReader} and {@link ObjectWriter} are immutable and
 * thread-safe, so one of each serves every request.
 */
public final class Json {
  private static final ObjectReader READER;
  private static final ObjectWriter WRITER;

  static {
    // Untrusted input: keep nesting and strings small whatever the body limit is.
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(32).maxStringLength(1_000_000).maxNumberLength(100).build())
        .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    SimpleModule time = new SimpleModule("angora-time");
    time.addSerializer(Instant.class, ToStringSerializer.instance);
    time.addSerializer(Duration.class, ToStringSerializer.instance);
    mapper.registerModule(time);
    mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    READER = mapper.reader();
    WRITER = mapper.writer();
  }

  private Json() {}

  /**
   * Writes a value as JSON.
   *
   * @param value maps, lists, records, strings, numbers, instants
   * @return UTF-8 bytes
   * @throws IllegalStateException when the value cannot be written (a bug, not bad input)
   */
  public static byte[] write(Object value) {
    try {
      return WRITER.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON",
          e);
    }
  }

  /**
   * Reads a JSON document.
   *
   * @param body UTF-8 bytes
   * @return the document
   * @throws HttpException 400 when it is not valid JSON
   */
  public static JsonNode read(byte[] body) {
    try {
      JsonNode node = READER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new HttpException(400, "empty JSON body");
      }
      return node;
    } catch (JacksonException e) {
      throw new HttpException(400, "malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new HttpException(400, "unreadable JSON body");
    }
  }
}
