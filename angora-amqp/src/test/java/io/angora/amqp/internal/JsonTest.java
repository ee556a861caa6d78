package io.angora.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
    Object v = parse(" {\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\", \"i\":-12,"
        + "\"d\":1.5e3,\"t\":true,\"f\":false,\"n\":null,\"l\":[1,[],{}]} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\\c/\né😀");
    expected.put("i", -12L);
    expected.put("d", new WireJson.OtherNumber("1.5e3"));
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
    String json = new String(WireJson.write(value), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("\n").doesNotContain("\u0001").contains("\\u0001");
    assertThat(parse(json)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\":1}x", "{'a':1}", "01", "1.",
      "-", "1e", "tru", "nul", "\"unterminated", "\"tab\there\"", "\"\\x\"", "\"\\u12G4\"",
      "\"\\ud800\"", "{\"a\":1,\"a\":2}", "{1:2}", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]"})
  void rejectsMalformedInput(String json) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(MalformedDeliveryException.class)
        .hasMessageStartingWith("bad JSON");
  }

  @Test
  void numbersBeyondALongAreKeptAsTextNeverConverted() {
    assertThat(parse("123456789012345678901234567890"))
        .isEqualTo(new WireJson.OtherNumber("123456789012345678901234567890"));
    assertThat(parse("{\"v\":1,\"n\":1e9999999999}")).isEqualTo(Map.of("v", 1L,
        "n", new WireJson.OtherNumber("1e9999999999")));
    assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void limitsBoundWhatAHostileBodyCosts() {
    assertThatThrownBy(() -> parse("1" + "0".repeat(WireJson.MAX_NUMBER_CHARS)))
        .isInstanceOf(MalformedDeliveryException.class);
    assertThatThrownBy(() -> parse("[".repeat(100_000)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("nesting");
    assertThatThrownBy(() -> parse("\"" + "x".repeat(WireJson.MAX_STRING_CHARS + 1) + "\""))
        .isInstanceOf(MalformedDeliveryException.class);
    assertThatThrownBy(() -> WireJson.parse(new byte[WireJson.MAX_DOCUMENT_BYTES + 1]))
        .isInstanceOf(MalformedDeliveryException.class);
    assertThatThrownBy(() -> WireJson.parse(new byte[] {'"', (byte) 0xC3, '"'}))
        .isInstanceOf(MalformedDeliveryException.class);
  }

  private static Object parse(String json) {
    return WireJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesToWriteALoneSurrogate() {
    assertThatThrownBy(() -> WireJson.write("\ud800"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
