package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /api/schedules} and pause/resume over a real socket, on a clock the test moves. */
class ScheduleApiIT {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T09:00:30Z"));
  private Angora angora;
  private AngoraHttpServer server;
  private Http http;

  @BeforeEach
  void start() {
    angora = Angora.builder().clock(clock)
        .task(TaskDefinition.builder("on_time").triggers("time.*").command("true").build(),
            TaskDefinition.builder("report").triggers("report.daily").command("true").build(),
            TaskDefinition.builder("both").triggers("report.#", "time.1001").command("true")
                .build(),
            TaskDefinition.builder("at_1002").triggers("time.1002").command("true").build(),
            TaskDefinition.builder("by_paused").triggers("off").command("true").build())
        .schedules(ScheduleSource.of(List.of(
            Schedule.builder("daily").cron("0 12 * * *").message("report.daily").build(),
            Schedule.builder("minutely").cron("* * * * *").zone(ZoneId.of("Europe/Paris"))
                .message("time.{HHmm}").origin("schedules.yml:1").build(),
            Schedule.builder("off").every(Duration.ofHours(1)).message("off").paused(true)
                .build())))
        .shutdownGrace(Duration.ofSeconds(1)).build();
    angora.start();
    server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0).drain(Duration.ZERO)
        .build());
    http = new Http(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
    angora.close();
  }

  private JsonNode schedule(String name) {
    for (JsonNode schedule : http.json(http.get("/api/schedules"))) {
      if (schedule.get("name").asText().equals(name)) {
        return schedule;
      }
    }
    throw new AssertionError("no schedule " + name);
  }

  @Test
  void listsSchedulesWithNextAndLastFireAndTheMessagesSent() {
    JsonNode minutely = schedule("minutely");
    assertThat(minutely.get("timing").asText()).isEqualTo("cron \"* * * * *\"");
    assertThat(minutely.get("zone").asText()).isEqualTo("Europe/Paris");
    assertThat(minutely.get("message").asText()).isEqualTo("time.{HHmm}");
    assertThat(minutely.get("misfire").asText()).isEqualTo("skip");
    assertThat(minutely.get("paused").asBoolean()).isFalse();
    assertThat(minutely.get("nextFire").asText()).isEqualTo("2026-11-30T09:01:00Z");
    assertThat(minutely.get("lastFire").isNull()).isTrue();
    assertThat(minutely.get("origin").asText()).isEqualTo("schedules.yml:1");

    clock.set(Instant.parse("2026-11-30T09:01:00Z"));
    JsonNode fired = await().atMost(Duration.ofSeconds(15))
        .until(() -> schedule("minutely"), s -> s.get("recent").size() == 1);

    assertThat(fired.get("lastFire").asText()).isEqualTo("2026-11-30T09:01:00Z");
    assertThat(fired.get("nextFire").asText()).isEqualTo("2026-11-30T09:02:00Z");
    JsonNode sent = fired.get("recent").get(0);
    assertThat(sent.get("text").asText()).isEqualTo("time.1001");
    assertThat(sent.get("messageId").asText()).endsWith("-minutely");
    assertThat(sent.get("error").isNull()).isTrue();
    // The message went through the engine like any other: its workflow has the task's run.
    await().atMost(Duration.ofSeconds(15)).until(() -> http.json(http.get(
        "/api/workflows/" + sent.get("messageId").asText())).toString().contains("on_time"));
  }

  @Test
  void pauseAndResume() {
    HttpResponse<String> paused = http.postEmpty("/api/schedules/minutely/pause");
    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(http.json(paused).get("paused").asBoolean()).isTrue();
    assertThat(http.json(paused).get("nextFire").isNull()).isTrue();
    assertThat(schedule("minutely").get("paused").asBoolean()).isTrue();

    HttpResponse<String> resumed = http.postEmpty("/api/schedules/minutely/resume");
    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(http.json(resumed).get("paused").asBoolean()).isFalse();
    assertThat(http.json(resumed).get("nextFire").asText()).isEqualTo("2026-11-30T09:01:00Z");
  }

  @Test
  void unknownSchedulesAndPausedInTheFileAreErrors() {
    HttpResponse<String> unknown = http.postEmpty("/api/schedules/nope/pause");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(http.json(unknown).get("error").asText()).contains("nope");

    HttpResponse<String> inFile = http.postEmpty("/api/schedules/off/resume");
    assertThat(inFile.statusCode()).isEqualTo(409);
    assertThat(http.json(inFile).get("error").asText()).contains("paused: true");
    assertThat(schedule("off").get("pausedInFile").asBoolean()).isTrue();

    assertThat(http.get("/api/schedules/minutely/pause").statusCode()).isEqualTo(405);
  }

  @Test
  void tasksShowTheEarliestNextFireOfTheSchedulesTriggeringThem() {
    JsonNode tasks = http.json(http.get("/api/tasks"));
    // minutely's next message is time.1001 (10:01 in Paris), daily's report.daily at 12:00Z.
    assertThat(nextSchedule(tasks, "on_time")).isEqualTo("2026-11-30T09:01:00Z");
    assertThat(nextSchedule(tasks, "report")).isEqualTo("2026-11-30T12:00:00Z");
    assertThat(nextSchedule(tasks, "both")).isEqualTo("2026-11-30T09:01:00Z");
    // Only the next message counts: time.1002 is sent by the fire time after it.
    assertThat(nextSchedule(tasks, "at_1002")).isNull();
    assertThat(nextSchedule(tasks, "by_paused")).isNull();
    assertThat(http.json(http.get("/api/tasks/report")).get("nextSchedule").asText())
        .isEqualTo("2026-11-30T12:00:00Z");

    assertThat(http.postEmpty("/api/schedules/minutely/pause").statusCode()).isEqualTo(200);
    tasks = http.json(http.get("/api/tasks"));
    assertThat(nextSchedule(tasks, "both")).isEqualTo("2026-11-30T12:00:00Z");
    assertThat(nextSchedule(tasks, "on_time")).isNull();

    assertThat(http.postEmpty("/api/schedules/minutely/resume").statusCode()).isEqualTo(200);
    clock.set(Instant.parse("2026-11-30T09:01:00Z"));
    await().atMost(Duration.ofSeconds(15)).until(() -> "2026-11-30T09:02:00Z".equals(
        nextSchedule(http.json(http.get("/api/tasks")), "at_1002")));
  }

  private static @Nullable String nextSchedule(JsonNode tasks, String name) {
    for (JsonNode task : tasks) {
      if (task.get("name").asText().equals(name)) {
        return task.get("nextSchedule").isNull() ? null : task.get("nextSchedule").asText();
      }
    }
    throw new AssertionError("no task " + name + " in " + tasks);
  }

  /** A clock that stands still until the test moves it. */
  private static final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;

    ManualClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void set(Instant instant) {
      now.set(instant);
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }
  }
}
