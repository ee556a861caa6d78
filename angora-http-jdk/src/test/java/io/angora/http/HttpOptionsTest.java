package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpOptionsTest {
  @Test
  void defaultsAreLoopback8080WithoutToken() {
    HttpOptions options = HttpOptions.defaults();
    assertThat(options.bindAddress().isLoopbackAddress()).isTrue();
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.token()).isNull();
    assertThat(options.allowedOrigins()).isEmpty();
    assertThat(options.allowedHosts()).isEmpty();
  }

  @Test
  void aBlankTokenMeansNone() {
    assertThat(HttpOptions.builder().token("  ").build().token()).isNull();
    assertThat(HttpOptions.builder().token(" t0k ").build().token()).isEqualTo("t0k");
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> HttpOptions.builder().port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> HttpOptions.builder().maxBodyBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> HttpOptions.builder().bindAddress("no-such-host.invalid"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-host");
  }
}
