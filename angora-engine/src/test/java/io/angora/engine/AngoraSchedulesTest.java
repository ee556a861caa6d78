package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.angora.api.Executor;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.NotFoundException;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskLoadException;
import io.angora.engine.internal.coordinator.Ids;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import io.angora.engine.schedule.ScheduleStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules in a whole engine: only the coordinator fires them. */
class AngoraSchedulesTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final TestClock clock = new TestClock("2026-11-30T09:00:30Z");
  private final List<Angora> engines = new ArrayList<>();
  /** Jobs run per worker name: a stand-in for processes, which unit tests do not start. */
  private final Map<String, AtomicInteger> jobsByWorker = new ConcurrentHashMap<>();

  @AfterEach
  void closeAll() {
    engines.forEach(Angora::close);
  }

  private Executor countingExecutor() {
    return (job, worker, cancellation) -> {
      jobsByWorker.computeIfAbsent(worker, w -> new AtomicInteger()).incrementAndGet();
      Instant now = clock.instant();
      return new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.SUCCEEDED, 0,
          null, "", worker, now, now);
    };
  }

  private Angora engine(AngoraBuilder builder) {
    Angora angora = builder.clock(clock).executor(countingExecutor())
        .heartbeat(Duration.ofMinutes(10)).build();
    engines.add(angora);
    angora.start();
    return angora;
  }

  @Test
  void oneCoordinatorAndTwoWorkersFireEachFireTimeOnce() {
    InMemoryTransport transport = new InMemoryTransport();
    ScheduleSource schedules = ScheduleSource.of(List.of(Schedule.builder("minutely")
        .cron("* * * * *").message("time.{HHmm}").build()));
    TaskDefinition task = TaskDefinition.builder("on_time").triggers("time.*")
        .command("true").build();
    // Every instance is given the schedules; only the coordinator may fire them.
    Angora coordinator = engine(Angora.builder().role(Role.COORDINATOR).transport(transport)
        .task(task).schedules(schedules));
    engine(Angora.builder().role(Role.WORKER).workerName("w1").transport(transport)
        .schedules(schedules));
    engine(Angora.builder().role(Role.WORKER).workerName("w2").transport(transport)
        .schedules(schedules));

    for (String at : List.of("09:01", "09:02", "09:03")) {
      clock.set(Instant.parse("2026-11-30T" + at + ":00Z"));
      String text = "time." + at.replace(":", "");
      await().atMost(WAIT).until(() -> runs(coordinator).stream()
          .anyMatch(r -> r.message().equals(text) && r.status() == RunStatus.SUCCEEDED));
    }
    // A later tick has nothing left to fire for those times.
    await().during(Duration.ofMillis(1500)).atMost(WAIT)
        .until(() -> coordinator.recentMessages(100).size() == 3);

    List<Message> messages = coordinator.recentMessages(100);
    assertThat(messages).extracting(Message::text)
        .containsExactly("time.0903", "time.0902", "time.0901");
    Ids ids = new Ids(clock);
    assertThat(messages).extracting(Message::id).containsExactly(
        Schedule.messageId(ids.fire("minutely", Instant.parse("2026-11-30T09:03:00Z")), "minutely"),
        Schedule.messageId(ids.fire("minutely", Instant.parse("2026-11-30T09:02:00Z")), "minutely"),
        Schedule.messageId(ids.fire("minutely", Instant.parse("2026-11-30T09:01:00Z")), "minutely"));
    assertThat(runs(coordinator)).hasSize(3);
    assertThat(jobsByWorker.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(3);
    ScheduleStatus status = coordinator.schedules().get(0);
    assertThat(status.lastFire()).isEqualTo(Instant.parse("2026-11-30T09:03:00Z"));
    assertThat(status.nextFire()).isEqualTo(Instant.parse("2026-11-30T09:04:00Z"));
    assertThat(status.recent()).hasSize(3);
  }

  @Test
  void aWorkerHasNoSchedules() {
    Angora worker = engine(Angora.builder().role(Role.WORKER).schedules(ScheduleSource.of(
        List.of(Schedule.builder("s").cron("@daily").message("s").build()))));
    assertThatThrownBy(worker::schedules).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void schedulesComeFromTheTaskDirectoryAndReloadWithIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("schedules.yml");
    Files.writeString(file, """
        - name: hourly
          cron: "@hourly"
          message: time.{HH}
        """);
    Angora angora = engine(Angora.builder().tasks(dir));
    assertThat(angora.schedules()).extracting(ScheduleStatus::name).containsExactly("hourly");
    assertThat(angora.schedules().get(0).nextFire())
        .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));

    Files.writeString(file, """
        - name: hourly
          cron: "@hourly"
          message: time.{HH}
        - name: half
          every: 30m
          message: half
        """);
    angora.reload();
    assertThat(angora.schedules()).extracting(ScheduleStatus::name)
        .containsExactly("hourly", "half");

    Files.writeString(file, """
        - name: broken
          cron: "every day"
          message: x
        """);
    assertThatThrownBy(angora::reload).isInstanceOf(TaskLoadException.class)
        .hasMessageContaining(file + ":2: cron: ");
    assertThat(angora.schedules()).extracting(ScheduleStatus::name)
        .containsExactly("hourly", "half");
  }

  @Test
  void pauseAndResumeThroughTheEngine() {
    Angora angora = engine(Angora.builder().schedules(ScheduleSource.of(List.of(
        Schedule.builder("s").every(Duration.ofMinutes(1)).message("s.{HHmm}").build()))));
    assertThat(angora.pauseSchedule("s").paused()).isTrue();
    assertThat(angora.runs().schedulePaused("s")).isTrue();
    clock.set(Instant.parse("2026-11-30T09:01:00Z"));
    await().during(Duration.ofMillis(1500)).atMost(WAIT)
        .until(() -> angora.recentMessages(10).isEmpty());

    assertThat(angora.resumeSchedule("s").nextFire())
        .isEqualTo(Instant.parse("2026-11-30T09:02:00Z"));
    clock.set(Instant.parse("2026-11-30T09:02:00Z"));
    await().atMost(WAIT).until(() -> angora.recentMessages(10).size() == 1);
    assertThat(angora.recentMessages(10).get(0).text()).isEqualTo("s.0902");
    assertThatThrownBy(() -> angora.pauseSchedule("unknown"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void withoutSchedulesTheListIsEmpty() {
    Angora angora = engine(Angora.builder());
    assertThat(angora.schedules()).isEmpty();
    assertThatThrownBy(() -> angora.resumeSchedule("s")).isInstanceOf(NotFoundException.class);
  }

  private static List<Run> runs(Angora angora) {
    return angora.runs().query(RunQuery.newest(100)).runs();
  }
}
