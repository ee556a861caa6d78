package io.angora.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimingTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** The next {@code count} fire times after a local time of a zone, as offset date-times. */
  private static List<String> next(Timing timing, ZoneId zone, String localStart, int count) {
    Instant at = LocalDateTime.parse(localStart).atZone(zone).toInstant();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      at = timing.next(at, zone).orElseThrow();
      out.add(OffsetDateTime.ofInstant(at, zone).toString());
    }
    return out;
  }

  @Test
  void fiveFieldsAsCrontab() {
    // 2026-11-27 is a Friday: weekdays only, so Monday comes next.
    assertThat(next(Timing.cron("5 1 * * 1-5"), ZoneOffset.UTC, "2026-11-26T12:00", 3))
        .containsExactly("2026-11-27T01:05Z", "2026-11-30T01:05Z", "2026-12-01T01:05Z");
  }

  @Test
  void restrictedDayFieldsMatchEitherAsInCrontab() {
    // The 1st or the 15th, or any Monday.
    assertThat(next(Timing.cron("0 0 1,15 * MON"), ZoneOffset.UTC, "2026-03-01T00:00", 4))
        .containsExactly("2026-03-02T00:00Z", "2026-03-09T00:00Z", "2026-03-15T00:00Z",
            "2026-03-16T00:00Z");
  }

  @Test
  void shorthands() {
    assertThat(next(Timing.cron("@hourly"), ZoneOffset.UTC, "2026-03-01T10:30", 1))
        .containsExactly("2026-03-01T11:00Z");
    assertThat(next(Timing.cron("@daily"), ZoneOffset.UTC, "2026-03-01T10:30", 1))
        .containsExactly("2026-03-02T00:00Z");
    assertThat(next(Timing.cron("@midnight"), ZoneOffset.UTC, "2026-03-01T10:30", 1))
        .containsExactly("2026-03-02T00:00Z");
    assertThat(next(Timing.cron("@weekly"), ZoneOffset.UTC, "2026-03-02T10:30", 1))
        .containsExactly("2026-03-08T00:00Z");
    assertThat(next(Timing.cron("@monthly"), ZoneOffset.UTC, "2026-03-02T10:30", 1))
        .containsExactly("2026-04-01T00:00Z");
    assertThat(next(Timing.cron("@yearly"), ZoneOffset.UTC, "2026-03-02T10:30", 1))
        .containsExactly("2027-01-01T00:00Z");
    assertThat(Timing.cron("@annually").next(Instant.parse("2026-03-02T10:30:00Z"),
        ZoneOffset.UTC)).contains(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void wallClockOfTheZone() {
    assertThat(next(Timing.cron("5 1 * * *"), PARIS, "2026-11-26T12:00", 1))
        .containsExactly("2026-11-27T01:05+01:00");
  }

  @ParameterizedTest
  @ValueSource(strings = {"61 * * * *", "* * * *", "0 0 * * * *", "@reboot", "0 0 30 2 *",
      "every day", "0 25 * * *", "0 0 * * 8"})
  void invalidExpressionsAreRejected(String expression) {
    assertThatThrownBy(() -> Timing.cron(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expression.strip());
  }

  @Test
  void neverMatchingExpressionIsNamedAsSuch() {
    assertThatThrownBy(() -> Timing.cron("0 0 30 2 *")).hasMessageContaining("never matches");
  }

  @Test
  void dailyJobInTheSkippedHourFiresOnceAtTheJump() {
    // Paris, 2026-03-29: 02:00 jumps to 03:00, so 02:30 does not exist that day.
    assertThat(next(Timing.cron("30 2 * * *"), PARIS, "2026-03-27T12:00", 4))
        .containsExactly("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00",
            "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00");
  }

  @Test
  void dailyJobInTheRepeatedHourFiresOnceOnFallBack() {
    // Paris, 2026-10-25: 03:00 goes back to 02:00, so 02:30 happens twice; it fires once.
    assertThat(next(Timing.cron("30 2 * * *"), PARIS, "2026-10-23T12:00", 4))
        .containsExactly("2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00",
            "2026-10-26T02:30+01:00", "2026-10-27T02:30+01:00");
  }

  @Test
  void dailyJobAcrossNewYorkChanges() {
    // New York, 2026-03-08 02:00 -> 03:00 and 2026-11-01 02:00 -> 01:00.
    assertThat(next(Timing.cron("30 2 * * *"), NEW_YORK, "2026-03-07T12:00", 2))
        .containsExactly("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00");
    assertThat(next(Timing.cron("30 1 * * *"), NEW_YORK, "2026-10-31T12:00", 2))
        .containsExactly("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
  }

  @Test
  void hourlyJobFollowsTheClockThroughTheRepeatedHour() {
    // The hour field is '*': both 02:00 of the fall-back night fire, one real hour apart.
    assertThat(next(Timing.cron("0 * * * *"), PARIS, "2026-10-25T00:30", 4))
        .containsExactly("2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00",
            "2026-10-25T02:00+01:00", "2026-10-25T03:00+01:00");
  }

  @Test
  void quarterHourlyJobKeepsItsRhythmOverSpringForward() {
    assertThat(next(Timing.cron("*/15 * * * *"), PARIS, "2026-03-29T01:30", 4))
        .containsExactly("2026-03-29T01:45+01:00", "2026-03-29T03:00+02:00",
            "2026-03-29T03:15+02:00", "2026-03-29T03:30+02:00");
  }

  @Test
  void fixedHourJobsFireOnceInTheRepeatedHourEvenStartingInsideIt() {
    // Starting at the second 02:10: 02:30 already fired at its first occurrence.
    Instant secondTwoTen = OffsetDateTime.parse("2026-10-25T02:10+01:00").toInstant();
    assertThat(Timing.cron("30 2 * * *").next(secondTwoTen, PARIS))
        .contains(OffsetDateTime.parse("2026-10-26T02:30+01:00").toInstant());
    assertThat(Timing.cron("*/20 * * * *").next(secondTwoTen, PARIS))
        .contains(OffsetDateTime.parse("2026-10-25T02:20+01:00").toInstant());
  }

  @Test
  void intervalsAreAlignedOnTheEpoch() {
    Timing every = Timing.every(Duration.ofMinutes(30));
    assertThat(every.next(Instant.parse("2026-03-01T10:07:13Z"), PARIS))
        .contains(Instant.parse("2026-03-01T10:30:00Z"));
    assertThat(every.next(Instant.parse("2026-03-01T10:30:00Z"), PARIS))
        .contains(Instant.parse("2026-03-01T11:00:00Z"));
    assertThat(Timing.every(Duration.ofSeconds(7)).next(Instant.ofEpochSecond(14), PARIS))
        .contains(Instant.ofEpochSecond(21));
    assertThat(every.describe()).isEqualTo("every 30m");
    assertThat(Timing.every(Duration.ofSeconds(90)).describe()).isEqualTo("every 90s");
  }

  @Test
  void intervalMustBeWholeSecondsOfAtLeastOne() {
    assertThatThrownBy(() -> Timing.every(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timing.every(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalWhenWrittenTheSameWay() {
    assertThat(Timing.cron("5 1 * * *")).isEqualTo(Timing.cron("5 1 * * *"))
        .isNotEqualTo(Timing.cron("6 1 * * *"));
    assertThat(Timing.every(Duration.ofMinutes(1))).isEqualTo(Timing.every(Duration.ofSeconds(60)));
  }
}
