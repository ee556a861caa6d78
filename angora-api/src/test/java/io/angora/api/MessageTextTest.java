package io.angora.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageTextTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest(name = "pattern ''{0}'': {1}")
  @CsvSource(delimiter = '|', value = {
      "''|is empty",
      "a..b|empty word",
      ".a|starts with a dot",
      "a.|ends with a dot",
      "a*|wildcards only as whole words",
      "a.b#|wildcards only as whole words",
      "**|wildcards only as whole words",
      "a b|whitespace",
      "a\tb|whitespace",
      "a\u200Bb|control character",
      "a\u202Eb|control character"})
  void invalidPatterns(String pattern, String problem) {
    assertThat(MessageText.patternProblem(pattern)).hasValueSatisfying(
        p -> assertThat(p).contains(problem));
    assertThat(MessageText.messageProblem(pattern)).isPresent();
  }

  @Test
  void lengthAndNullLimits() {
    assertThat(MessageText.patternProblem(null)).hasValue("is empty");
    assertThat(MessageText.patternProblem("a".repeat(255))).isEmpty();
    assertThat(MessageText.patternProblem("a".repeat(256))).hasValueSatisfying(
        p -> assertThat(p).contains("longer than 255"));
    assertThat(MessageText.messageProblem("a".repeat(256))).isPresent();
  }

  @Test
  void messagesMustNotHoldWildcards() {
    for (String valid : List.of("a", "example.step.1", "time.0105", "caf\u00e9.ol\u00e9",
        "manual:build")) {
      assertThat(MessageText.messageProblem(valid)).as(valid).isEmpty();
      assertThat(MessageText.patternProblem(valid)).as(valid).isEmpty();
    }
    for (String wild : List.of("a.*", "#", "a.#.b")) {
      assertThat(MessageText.patternProblem(wild)).as(wild).isEmpty();
      assertThat(MessageText.messageProblem(wild)).as(wild).hasValueSatisfying(
          p -> assertThat(p).contains("wildcard"));
    }
  }

  @Test
  void idsRefusePathsControlCharactersAndLength() {
    for (String valid : List.of("wf-1", "0192f0a4-7c3e-7b1a-8d7e-3f4c5b6a7d8e", "nightly 2026",
        "a.b", "x".repeat(200))) {
      assertThat(MessageText.idProblem(valid)).as(valid).isEmpty();
    }
    assertThat(MessageText.idProblem("")).hasValue("is empty");
    assertThat(MessageText.idProblem(null)).hasValue("is empty");
    assertThat(MessageText.idProblem("x".repeat(201))).hasValueSatisfying(
        p -> assertThat(p).contains("limit is 200"));
    assertThat(MessageText.idProblem("a/b")).hasValueSatisfying(p -> assertThat(p).contains("'/'"));
    assertThat(MessageText.idProblem("a\\b")).isPresent();
    assertThat(MessageText.idProblem("..")).hasValueSatisfying(p -> assertThat(p).contains(".."));
    assertThat(MessageText.idProblem("a\nb")).hasValueSatisfying(
        p -> assertThat(p).contains("control character (U+000A) at position 2"));
    assertThat(MessageText.idProblem("a\u202Eb")).isPresent();
  }

  @Test
  void payloadsAreBoundedInBytesAndHoldNoNul() {
    assertThat(MessageText.payloadProblem(null)).isEmpty();
    assertThat(MessageText.payloadProblem("line one\nline two\ttab")).isEmpty();
    assertThat(MessageText.payloadProblem("x".repeat(MessageText.MAX_PAYLOAD_BYTES))).isEmpty();
    // 2 bytes each in UTF-8: under the limit in characters, over it in bytes.
    assertThat(MessageText.payloadProblem("\u00e9".repeat(40_000))).hasValueSatisfying(
        p -> assertThat(p).contains("80000 bytes"));
    assertThat(MessageText.payloadProblem("a\0b")).hasValueSatisfying(
        p -> assertThat(p).contains("NUL"));
  }

  @Test
  void checksNameTheFieldAndKeepValidValues() {
    assertThat(MessageText.checkMessage("time.0105")).isEqualTo("time.0105");
    assertThat(MessageText.checkId("workflow id", "wf")).isEqualTo("wf");
    assertThatIllegalArgumentException().isThrownBy(() -> MessageText.checkId("workflow id",
        "../etc")).withMessageContaining("workflow id '../etc'");
    assertThatIllegalArgumentException().isThrownBy(() -> MessageText.checkMessage("a\nb"))
        .withMessage("invalid message 'a?b': contains whitespace or a control character "
            + "(U+000A) at position 2");
    assertThatIllegalArgumentException().isThrownBy(() -> MessageText.checkPayload("\0"))
        .withMessageContaining("payload");
  }

  @Test
  void aWholeMessageIsCheckedFieldByField() {
    Message ok = new Message("m1", "a.b", "p", "wf", "run-1", null, T);
    assertThat(MessageText.check(ok)).isSameAs(ok);
    Message manual = new Message("m2", "manual:my task", null, "wf", null, "my task", T);
    assertThat(MessageText.check(manual)).isSameAs(manual);
    assertThatIllegalArgumentException().isThrownBy(() -> MessageText.check(
        new Message("m1", "a.b", null, "w/f", null, null, T))).withMessageContaining("workflow id");
    assertThatIllegalArgumentException().isThrownBy(() -> MessageText.check(
        new Message("m\n1", "a.b", null, "wf", null, null, T))).withMessageContaining("message id");
    assertThatIllegalArgumentException().isThrownBy(() -> MessageText.check(
        new Message("m1", "a.b", null, "wf", "..", null, T)))
        .withMessageContaining("parent run id");
    assertThatIllegalArgumentException().isThrownBy(() -> MessageText.check(
        new Message("m1", "x", null, "wf", null, "a/b", T))).withMessageContaining("task");
  }
}
