package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthTest {
  @Test
  void acceptsOnlyTheExactBearerToken() {
    Auth auth = new Auth("s3cret");
    assertThat(auth.required()).isTrue();
    assertThat(auth.accepts("Bearer s3cret")).isTrue();
    assertThat(auth.accepts("bearer s3cret")).isTrue();
    assertThat(auth.accepts("Bearer s3cre")).isFalse();
    assertThat(auth.accepts("Bearer s3cret2")).isFalse();
    assertThat(auth.accepts("Basic s3cret")).isFalse();
    assertThat(auth.accepts("s3cret")).isFalse();
    assertThat(auth.accepts(null)).isFalse();
  }

  @Test
  void withoutATokenEverythingPasses() {
    Auth open = new Auth(null);
    assertThat(open.required()).isFalse();
    assertThat(open.accepts(null)).isTrue();
  }
}
