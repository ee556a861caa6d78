package io.angora.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The wire's instant text is exactly the JDK's, fast path or not. */
class WireInstantsTest {

  @Test
  void formatsAndParsesAsTheJdkDoesAcrossTheYearsAndEveryFractionWidth() {
    SplittableRandom random = new SplittableRandom(42);
    long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong(first, last + 1);
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(seconds, nano);
      String text = WireInstants.format(instant);
      assertThat(text).isEqualTo(instant.toString());
      assertThat(WireInstants.parse(text)).isEqualTo(instant);
    }
  }

  @Test
  void outsideTheFourDigitYearsTheJdkFormats() {
    for (String text : List.of("-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
        "+300000-01-01T00:00:00Z")) {
      Instant instant = Instant.parse(text);
      assertThat(WireInstants.format(instant)).isEqualTo(instant.toString());
      assertThat(WireInstants.parse(text)).isEqualTo(instant);
    }
  }

  @Test
  void acceptsWhatTheJdkAcceptsAndNothingElse() {
    List<String> texts = List.of("2026-12-03T19:00:00Z", "2026-12-03T19:00:00.1Z",
        "2026-12-03T19:00:00.12345678Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-12-03T24:00:00Z", "2026-12-03T23:59:60Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z",
        "2026-12-03t19:00:00z", "2026-12-03T19:00Z", "2026-12-03T19:00:00.Z",
        "2026-12-03T19:00:00.1234567890Z", "2026-12-03T19:00:00+01:00", "2026-12-03 19:00:00Z",
        "2026-1a-03T19:00:00Z", "2026-12-03T19:00:0-Z", "2026-12-03T19:00:00.-1Z",
        "２０２６-12-03T19:00:00Z", "", "Z");
    for (String text : texts) {
      Instant expected;
      try {
        expected = Instant.parse(text);
      } catch (DateTimeParseException e) {
        assertThatThrownBy(() -> WireInstants.parse(text)).as(text)
            .isInstanceOf(DateTimeParseException.class);
        continue;
      }
      assertThat(WireInstants.parse(text)).as(text).isEqualTo(expected);
    }
  }
}
