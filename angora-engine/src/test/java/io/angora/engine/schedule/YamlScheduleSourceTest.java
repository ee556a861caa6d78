package io.angora.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlScheduleSourceTest {

  private static List<TaskError> errors(String yaml) {
    try {
      YamlScheduleSource.parse("schedules.yml", yaml);
    } catch (TaskLoadException e) {
      return e.errors();
    }
    throw new AssertionError("expected errors in:\n" + yaml);
  }

  @Test
  void readsEveryField() {
    List<Schedule> schedules = YamlScheduleSource.parse("schedules.yml", """
        - name: nightly
          cron: "5 1 * * 1-5"
          zone: Europe/Paris
          message: time.{HHmm}
          payload: from the nightly schedule
          misfire: fire_once
          paused: true
        - every: 30m
          message: time.interval.30
        """);

    Schedule nightly = schedules.get(0);
    assertThat(nightly.name()).isEqualTo("nightly");
    assertThat(nightly.timing()).isEqualTo(Timing.cron("5 1 * * 1-5"));
    assertThat(nightly.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(nightly.message()).isEqualTo("time.{HHmm}");
    assertThat(nightly.payload()).isEqualTo("from the nightly schedule");
    assertThat(nightly.misfire()).isEqualTo(Misfire.FIRE_ONCE);
    assertThat(nightly.paused()).isTrue();
    assertThat(nightly.origin()).isEqualTo("schedules.yml:1");

    Schedule interval = schedules.get(1);
    assertThat(interval.name()).isEqualTo("time.interval.30");
    assertThat(interval.timing()).isEqualTo(Timing.every(Duration.ofMinutes(30)));
    assertThat(interval.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(interval.payload()).isNull();
    assertThat(interval.misfire()).isEqualTo(Misfire.SKIP);
    assertThat(interval.paused()).isFalse();
    assertThat(interval.origin()).isEqualTo("schedules.yml:8");
  }

  @Test
  void intervalsInEveryUnitAndPlainSeconds() {
    List<Schedule> schedules = YamlScheduleSource.parse("s.yml", """
        - {name: a, every: 45s, message: a}
        - {name: b, every: 2h, message: b}
        - {name: c, every: 1d, message: c}
        - {name: d, every: 90, message: d}
        """);
    assertThat(schedules).extracting(s -> s.timing().describe())
        .containsExactly("every 45s", "every 2h", "every 1d", "every 90s");
  }

  @Test
  void defaultNameIsTheMessageWithoutBraces() {
    Schedule schedule = YamlScheduleSource.parse("s.yml", """
        - cron: "@hourly"
          message: time.{HHmm}
        """).get(0);
    assertThat(schedule.name()).isEqualTo("time.HHmm");
  }

  @Test
  void placeholdersTakeTheFireTimeInTheZone() {
    Schedule schedule = Schedule.builder("p").cron("5 1 * * *").zone(ZoneId.of("Europe/Paris"))
        .message("time.{HHmm}.{yyyyMMdd}.{HH}.{mm}.{epoch}").build();
    Instant fire = Instant.parse("2026-11-27T00:05:00Z");
    assertThat(schedule.messageAt(fire))
        .isEqualTo("time.0105.20261127.01.05." + fire.getEpochSecond());
  }

  @Test
  void badSchedulesAreRejectedWithFileLineAndFieldAllAtOnce() {
    List<TaskError> errors = errors("""
        - name: bad_cron
          cron: "61 * * * *"
          message: a
        - name: bad_zone
          cron: "@daily"
          zone: Mars/Olympus
          message: b
        - name: empty_message
          every: 5m
          message: ""
        - name: unknown_key
          every: 5m
          message: d
          triggers: [x]
        - name: both
          cron: "@daily"
          every: 5m
          message: e
        - name: neither
          message: f
        - name: bad_interval
          every: 5 minutes
          message: g
        - name: bad_misfire
          every: 5m
          message: h
          misfire: always
        - name: wildcard
          every: 5m
          message: time.*
        - name: bad_placeholder
          every: 5m
          message: time.{hhmm}
        - name: bad_paused
          every: 5m
          message: k
          paused: maybe
        """);

    assertThat(errors).extracting(TaskError::file, TaskError::line, TaskError::field).containsExactly(
        tuple("schedules.yml", 2, "cron"),
        tuple("schedules.yml", 6, "zone"),
        tuple("schedules.yml", 10, "message"),
        tuple("schedules.yml", 14, "triggers"),
        tuple("schedules.yml", 17, "every"),
        tuple("schedules.yml", 19, "cron"),
        tuple("schedules.yml", 22, "every"),
        tuple("schedules.yml", 27, "misfire"),
        tuple("schedules.yml", 30, "message"),
        tuple("schedules.yml", 33, "message"),
        tuple("schedules.yml", 37, "paused"));
    assertThat(errors.get(0).message()).contains("bad_cron", "61");
    assertThat(errors.get(1).message()).contains("unknown time zone 'Mars/Olympus'");
    assertThat(errors.get(2).message()).contains("must not be empty");
    assertThat(errors.get(3).message()).contains("unknown key 'triggers'");
    assertThat(errors.get(4).message()).contains("either cron or every");
    assertThat(errors.get(5).message()).contains("missing cron or every");
    assertThat(errors.get(6).message()).contains("'5 minutes'");
    assertThat(errors.get(9).message()).contains("unknown placeholder '{hhmm}'");
    assertThat(errors.get(0).toString()).startsWith("schedules.yml:2: cron: ");
  }

  @Test
  void duplicateAndInvalidNames() {
    List<TaskError> errors = errors("""
        - {name: same, every: 5m, message: a}
        - {name: same, every: 5m, message: b}
        - {every: 5m, message: c}
        - {every: 1h, message: c}
        - {name: "has space", every: 5m, message: d}
        """);
    assertThat(errors).extracting(TaskError::line, TaskError::field)
        .containsExactly(tuple(2, "name"), tuple(4, "name"), tuple(5, "name"));
    assertThat(errors.get(0).message()).contains("duplicate schedule name 'same', first at line 1");
    assertThat(errors.get(1).message()).contains("give the schedules names");
  }

  @Test
  void notAListOrBrokenYaml() {
    assertThat(errors("cron: '@daily'\nmessage: a\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("expected a list of schedules"));
    assertThat(errors("- name: [unclosed\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("YAML syntax error"));
  }

  @Test
  void emptyOrMissingFileHoldsNoSchedules(@TempDir Path dir) throws Exception {
    assertThat(YamlScheduleSource.inDirectory(dir).load()).isEmpty();
    Files.writeString(dir.resolve("schedules.yml"), "# nothing yet\n");
    assertThat(YamlScheduleSource.inDirectory(dir).load()).isEmpty();
  }

  @Test
  void readsTheTaskDirectorysFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("schedules.yaml"), "- {every: 5m, message: a}\n");
    assertThat(YamlScheduleSource.inDirectory(dir).load()).extracting(Schedule::name)
        .containsExactly("a");

    Files.writeString(dir.resolve("schedules.yml"), "- {every: 5m, message: a}\n");
    assertThatThrownBy(() -> YamlScheduleSource.inDirectory(dir).load())
        .isInstanceOf(TaskLoadException.class).hasMessageContaining("keep one");

    Path file = dir.resolve("other.yml");
    Files.writeString(file, "- {cron: nonsense, message: a}\n");
    assertThatThrownBy(() -> YamlScheduleSource.file(file).load())
        .isInstanceOf(TaskLoadException.class)
        .hasMessageContaining(file + ":1: cron: ");
  }
}
