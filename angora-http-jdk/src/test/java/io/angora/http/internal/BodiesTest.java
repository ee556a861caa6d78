package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.http.HttpException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodiesTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheCurlFormAndJson() {
    assertThat(Bodies.fields("application/x-www-form-urlencoded", utf8("msg=time.0105")))
        .isEqualTo(Map.of("msg", "time.0105"));
    assertThat(Bodies.fields(null, utf8("msg=a+b%21&payload=x&msg=second")))
        .isEqualTo(Map.of("msg", "a b!", "payload", "x"));
    assertThat(Bodies.fields("application/json; charset=utf-8",
        utf8("{\"msg\":\"a.b\",\"payload\":null,\"n\":3}")))
        .isEqualTo(Map.of("msg", "a.b", "n", "3"));
    assertThat(Bodies.fields("application/json", new byte[0])).isEmpty();
  }

  @Test
  void refusesMalformedBodies() {
    assertThatThrownBy(() -> Bodies.fields("application/json", utf8("{\"msg\"")))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> Bodies.fields("application/json", utf8("\"just a string\"")))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> Bodies.fields("application/json", utf8("[".repeat(100))))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> Bodies.fields(null, utf8("msg=%G1")))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> Bodies.fields("text/xml", utf8("<msg/>")))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(415));
  }
}
