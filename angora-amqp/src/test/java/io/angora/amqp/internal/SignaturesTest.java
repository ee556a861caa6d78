package io.angora.amqp.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignaturesTest {
  private static final Instant T = Instant.parse("2026-11-30T05:00:00Z");
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  private static final byte[] BODY = "{\"v\":1}".getBytes(UTF_8);
  private static final Envelope START = new Envelope(1, false, "", "p.start");

  private final Signatures signatures = at(T);

  private static Signatures at(Instant now) {
    return new Signatures(KEY, Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
  }

  private AMQP.BasicProperties signed() {
    return signatures.sign(new AMQP.BasicProperties.Builder().messageId("x").build(), "",
        "p.start", BODY);
  }

  @Test
  void whatWasSignedIsAccepted() {
    assertThatCode(() -> signatures.verify(START, signed(), BODY)).doesNotThrowAnyException();
    assertThatCode(() -> at(T.plus(Duration.ofHours(24))).verify(START, signed(), BODY))
        .doesNotThrowAnyException();
  }

  @Test
  void unsignedTamperedForgedMisroutedExpiredAndFutureItemsAreRefused() {
    assertThatThrownBy(() -> signatures.verify(START, new AMQP.BasicProperties(), BODY))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageStartingWith("unsigned");
    byte[] tampered = Arrays.copyOf(BODY, BODY.length);
    tampered[1] ^= 1;
    assertThatThrownBy(() -> signatures.verify(START, signed(), tampered))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageStartingWith("forged");
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    AMQP.BasicProperties byOther = new Signatures(otherKey, Duration.ofHours(1),
        Clock.fixed(T, ZoneOffset.UTC)).sign(new AMQP.BasicProperties(), "", "p.start", BODY);
    assertThatThrownBy(() -> signatures.verify(START, byOther, BODY))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageStartingWith("forged");
    assertThatThrownBy(() -> signatures.verify(new Envelope(1, false, "", "p.results"),
        signed(), BODY)).isInstanceOf(MalformedDeliveryException.class)
        .hasMessageStartingWith("forged");
    assertThatThrownBy(() -> at(T.plus(Duration.ofHours(25))).verify(START, signed(), BODY))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageStartingWith("expired");
    assertThatThrownBy(() -> at(T.minus(Duration.ofHours(1))).verify(START, signed(), BODY))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("in the future");
    String header = (String) signed().getHeaders().get(Signatures.HEADER);
    String[] parts = header.split(":");
    // A later signing instant with the old MAC: the instant is covered by the MAC.
    AMQP.BasicProperties moved = new AMQP.BasicProperties.Builder().headers(Map.of(
        Signatures.HEADER, parts[0] + ":" + (Long.parseLong(parts[1]) + 1) + ":" + parts[2]))
        .build();
    assertThatThrownBy(() -> signatures.verify(START, moved, BODY))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageStartingWith("forged");
    for (Object junk : new Object[] {"v2:1:AAAA", "v1:x:AAAA", "v1:1:***", "", 42L}) {
      AMQP.BasicProperties bad = new AMQP.BasicProperties.Builder()
          .headers(Map.of(Signatures.HEADER, junk)).build();
      assertThatThrownBy(() -> signatures.verify(START, bad, BODY)).as(String.valueOf(junk))
          .isInstanceOf(MalformedDeliveryException.class);
    }
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Signatures(new byte[31],
        Duration.ofHours(1), Clock.systemUTC())).withMessageContaining("at least 32");
  }
}
