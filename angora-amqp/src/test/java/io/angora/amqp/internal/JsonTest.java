package io.angora.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @Test
  void readsEveryKindOfValue() {
    Object v = JsonReader.parse(" {\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\", \"i\":-12,"
        + "\"d\":1.5e3,\"t\":true,\"f\":false,\"n\":null,\"l\":[1,[],{}]} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\\c/\né😀");
    expected.put("i", -12L);
    expected.put("d", new BigDecimal("1.5e3"));
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("l", List.of(1L, List.of(), Map.of()));
    assertThat(v).isEqualTo(expected);
  }

  @Test
  void writesWhatItReadsWithControlCharactersEscaped() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "line1\nline2\t\u0001\u007f \"q\" \\ é 😀");
    value.put("n", null);
    value.put("list", Arrays.asList(1L, "x", true, null));
    String json = JsonWriter.write(value);
    assertThat(json).doesNotContain("\n").doesNotContain("\u0001").contains("\\u0001");
    assertThat(JsonReader.parse(json)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\":1}x", "{'a':1}", "01", "1.",
      "-", "1e", "tru", "nul", "\"unterminated", "\"tab\there\"", "\"\\x\"", "\"\\u12G4\"",
      "\"\\ud800\"", "{\"a\":1,\"a\":2}", "{1:2}", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]"})
  void rejectsMalformedInput(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json)).isInstanceOf(MalformedDeliveryException.class)
        .hasMessageStartingWith("bad JSON");
  }

  @Test
  void bigIntegersStayExact() {
    assertThat(JsonReader.parse("123456789012345678901234567890"))
        .isEqualTo(new BigDecimal("123456789012345678901234567890"));
  }

  @Test
  void refusesToWriteALoneSurrogate() {
    assertThatThrownBy(() -> JsonWriter.write("\ud800"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
