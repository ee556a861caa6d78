package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.http.HttpException;
import org.junit.jupiter.api.Test;

class MessageRulesTest {
  private final MessageRules rules = new MessageRules(10);

  @Test
  void acceptsOrdinaryMessages() {
    assertThatCode(() -> rules.checkMessage("time.0105")).doesNotThrowAnyException();
    assertThatCode(() -> rules.checkId("workflow", "wf-1")).doesNotThrowAnyException();
  }

  @Test
  void refusesLongEmptyAndControlCharacters() {
    assertThatThrownBy(() -> rules.checkMessage("a".repeat(11)))
        .isInstanceOf(HttpException.class).hasMessageContaining("limit is 10");
    assertThatThrownBy(() -> rules.checkMessage(""))
        .isInstanceOf(HttpException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> rules.checkMessage("a\tb"))
        .isInstanceOf(HttpException.class).hasMessageContaining("control character at index 1");
    assertThatThrownBy(() -> rules.checkMessage("a\u0085b"))
        .isInstanceOf(HttpException.class).hasMessageContaining("control character");
    assertThatThrownBy(() -> rules.checkId("workflow", "x\ny"))
        .isInstanceOf(HttpException.class).hasMessageContaining("'workflow'");
  }
}
