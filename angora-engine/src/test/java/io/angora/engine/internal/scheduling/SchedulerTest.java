package io.angora.engine.internal.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.api.Message;
import io.angora.api.NotFoundException;
import io.angora.engine.InMemoryRunStore;
import io.angora.engine.InMemoryTransport;
import io.angora.engine.TestClock;
import io.angora.engine.internal.coordinator.Ids;
import io.angora.engine.schedule.Firing;
import io.angora.engine.schedule.Misfire;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler driven by ticks on a test clock: no thread, no waiting. */
class SchedulerTest {
  private static final Duration GRACE = Duration.ofMinutes(1);

  private final TestClock clock = new TestClock("2026-11-30T09:00:00Z");
  private final InMemoryTransport transport = new InMemoryTransport();
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final List<Message> sent = new CopyOnWriteArrayList<>();
  private final Ids ids = new Ids(clock);

  @BeforeEach
  void collectMessages() {
    transport.consumeMessages(delivery -> {
      sent.add(delivery.body());
      delivery.ack();
    });
  }

  @AfterEach
  void close() {
    transport.close();
  }

  private Scheduler scheduler(Schedule... schedules) {
    Scheduler scheduler = new Scheduler(transport, store, clock, ids, GRACE,
        Duration.ofSeconds(1));
    scheduler.replace(List.of(schedules));
    return scheduler;
  }

  /** Moves the clock to an instant and ticks there. */
  private void tickAt(Scheduler scheduler, String instant) {
    clock.set(Instant.parse(instant));
    scheduler.tick();
  }

  private List<String> texts() {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> transport.queueDepths().get("initialize") == 0);
    return sent.stream().map(Message::text).toList();
  }

  private static Schedule.Builder every5m(String name) {
    return Schedule.builder(name).every(Duration.ofMinutes(5)).message("tick.{HHmm}");
  }

  @Test
  void firesOnceAtEachFireTimeWithTheFireTimeInTheMessage() {
    Scheduler scheduler = scheduler(every5m("five").payload("p").build());

    assertThat(scheduler.tick()).isEqualTo(Instant.parse("2026-11-30T09:05:00Z"));
    tickAt(scheduler, "2026-11-30T09:04:59Z");
    tickAt(scheduler, "2026-11-30T09:05:00Z");
    tickAt(scheduler, "2026-11-30T09:05:30Z");
    tickAt(scheduler, "2026-11-30T09:10:02Z");

    assertThat(texts()).containsExactly("tick.0905", "tick.0910");
    Message first = sent.get(0);
    // The id comes from the schedule and fire time: a repeated fire is the same message.
    assertThat(first.id()).isEqualTo(Schedule.messageId(
        ids.fire("five", Instant.parse("2026-11-30T09:05:00Z")), "five"));
    assertThat(Schedule.sentBy(first.id())).contains("five");
    assertThat(first.sentAt()).isEqualTo(Instant.parse("2026-11-30T09:05:00Z"));
    assertThat(first.workflowId()).isEqualTo(first.id());
    assertThat(first.payload()).isEqualTo("p");
    assertThat(first.parentRunId()).isNull();
    assertThat(store.lastFire("five")).contains(Instant.parse("2026-11-30T09:10:00Z"));
    ScheduleStatus status = scheduler.statuses().get(0);
    assertThat(status.lastFire()).isEqualTo(Instant.parse("2026-11-30T09:10:00Z"));
    assertThat(status.nextFire()).isEqualTo(Instant.parse("2026-11-30T09:15:00Z"));
    assertThat(status.recent()).extracting(Firing::text).containsExactly("tick.0910", "tick.0905");
    assertThat(status.recent()).allSatisfy(f -> assertThat(f.error()).isNull());
  }

  @Test
  void cronInAZoneFiresAtTheWallClockTime() {
    Scheduler scheduler = scheduler(Schedule.builder("nightly").cron("5 1 * * 1-5")
        .zone(ZoneId.of("Europe/Paris")).message("time.{HHmm}").build());

    assertThat(scheduler.tick()).isEqualTo(Instant.parse("2026-12-01T00:05:00Z"));
    tickAt(scheduler, "2026-12-01T00:05:00Z");

    assertThat(texts()).containsExactly("time.0105");
  }

  @Test
  void aFireTimeLaterThanTheGraceIsAMisfire() {
    Scheduler skip = scheduler(every5m("skip").build(),
        every5m("once").message("once.{HHmm}").misfire(Misfire.FIRE_ONCE).build());

    tickAt(skip, "2026-11-30T09:06:01Z");

    assertThat(texts()).containsExactly("once.0905");
    assertThat(skip.statuses()).extracting(ScheduleStatus::nextFire)
        .containsOnly(Instant.parse("2026-11-30T09:10:00Z"));
    assertThat(skip.statuses().get(1).recent().get(0).catchUp()).isTrue();
  }

  @Test
  void skipAcrossARestartFiresNothingForTheDowntime() {
    Scheduler before = scheduler(every5m("s").build());
    tickAt(before, "2026-11-30T09:05:00Z");
    before.close();

    clock.set(Instant.parse("2026-11-30T11:42:00Z"));
    Scheduler after = scheduler(every5m("s").build());
    after.tick();
    tickAt(after, "2026-11-30T11:45:00Z");

    assertThat(texts()).containsExactly("tick.0905", "tick.1145");
  }

  @Test
  void fireOnceAcrossARestartFiresOneCatchUpForTheLatestMissedTime() {
    Schedule schedule = every5m("f").misfire(Misfire.FIRE_ONCE).build();
    Scheduler before = scheduler(schedule);
    tickAt(before, "2026-11-30T09:05:00Z");
    before.close();

    clock.set(Instant.parse("2026-11-30T11:42:00Z"));
    Scheduler after = scheduler(schedule);
    after.tick();
    after.tick();
    tickAt(after, "2026-11-30T11:45:00Z");

    assertThat(texts()).containsExactly("tick.0905", "tick.1140", "tick.1145");
    assertThat(store.lastFire("f")).contains(Instant.parse("2026-11-30T11:45:00Z"));
  }

  @Test
  void fireOnceAfterDaysDownOfAMinutelyCronFiresOnce() {
    Schedule schedule = Schedule.builder("m").cron("* * * * *").message("m.{HHmm}")
        .misfire(Misfire.FIRE_ONCE).build();
    Scheduler before = scheduler(schedule);
    tickAt(before, "2026-11-30T09:01:00Z");

    clock.set(Instant.parse("2026-12-04T17:30:30Z"));
    Scheduler after = scheduler(schedule);
    after.tick();

    assertThat(texts()).containsExactly("m.0901", "m.1730");
  }

  @Test
  void aRestartWithinTheSameFireTimeDoesNotFireAgain() {
    Schedule schedule = every5m("r").misfire(Misfire.FIRE_ONCE).build();
    Scheduler before = scheduler(schedule);
    tickAt(before, "2026-11-30T09:05:00Z");

    clock.set(Instant.parse("2026-11-30T09:05:20Z"));
    Scheduler after = scheduler(schedule);
    after.tick();

    assertThat(texts()).containsExactly("tick.0905");
  }

  @Test
  void withoutARecordedFireTheFirstStartCatchesNothingUp() {
    clock.set(Instant.parse("2026-11-30T09:07:00Z"));
    Scheduler scheduler = scheduler(every5m("new").misfire(Misfire.FIRE_ONCE).build());
    scheduler.tick();
    assertThat(texts()).isEmpty();
  }

  @Test
  void pauseAndResumeAreDurableAndResumeDoesNotCatchUp() {
    Scheduler scheduler = scheduler(every5m("p").misfire(Misfire.FIRE_ONCE).build());
    assertThat(scheduler.pause("p").paused()).isTrue();
    assertThat(scheduler.statuses().get(0).nextFire()).isNull();
    tickAt(scheduler, "2026-11-30T09:05:00Z");
    tickAt(scheduler, "2026-11-30T09:10:00Z");

    Scheduler restarted = scheduler(every5m("p").misfire(Misfire.FIRE_ONCE).build());
    assertThat(restarted.statuses().get(0).paused()).isTrue();
    tickAt(restarted, "2026-11-30T09:15:00Z");
    clock.set(Instant.parse("2026-11-30T09:17:00Z"));
    ScheduleStatus resumed = restarted.resume("p");
    assertThat(resumed.paused()).isFalse();
    assertThat(resumed.nextFire()).isEqualTo(Instant.parse("2026-11-30T09:20:00Z"));
    restarted.tick();
    tickAt(restarted, "2026-11-30T09:20:00Z");

    assertThat(texts()).containsExactly("tick.0920");
    assertThat(store.schedulePaused("p")).isFalse();
  }

  @Test
  void aSchedulePausedInItsDefinitionCannotBeResumed() {
    Scheduler scheduler = scheduler(every5m("off").paused(true).build());
    tickAt(scheduler, "2026-11-30T09:05:00Z");
    assertThat(texts()).isEmpty();
    assertThatThrownBy(() -> scheduler.resume("off"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("paused: true");
    assertThatThrownBy(() -> scheduler.pause("nope")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void reloadKeepsTheStateOfUnchangedSchedulesAndDropsRemovedOnes() {
    Scheduler scheduler = scheduler(every5m("keep").build(), every5m("gone").build());
    tickAt(scheduler, "2026-11-30T09:05:00Z");

    scheduler.replace(List.of(every5m("keep").message("kept.{HHmm}").build(),
        Schedule.builder("hourly").cron("@hourly").message("h").build()));
    tickAt(scheduler, "2026-11-30T09:10:00Z");

    assertThat(texts()).containsExactly("tick.0905", "tick.0905", "kept.0910");
    assertThat(scheduler.statuses()).extracting(ScheduleStatus::name)
        .containsExactly("keep", "hourly");
    assertThat(scheduler.statuses().get(0).recent()).hasSize(2);
    assertThat(scheduler.statuses().get(1).nextFire())
        .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
  }

  @Test
  void aStoreWithoutScheduleStateFallsBackToMemory() {
    io.angora.api.RunStore bare = new BareStore(store);
    Scheduler scheduler = new Scheduler(transport, bare, clock, ids, GRACE,
        Duration.ofSeconds(1));
    scheduler.replace(List.of(every5m("b").build()));
    scheduler.pause("b");
    scheduler.resume("b");
    tickAt(scheduler, "2026-11-30T09:05:00Z");
    assertThat(texts()).containsExactly("tick.0905");
    assertThat(scheduler.statuses().get(0).lastFire())
        .isEqualTo(Instant.parse("2026-11-30T09:05:00Z"));
  }

  @Test
  void theTimerThreadFiresOnItsOwn() {
    Scheduler scheduler = scheduler(every5m("t").build());
    scheduler.start();
    try {
      clock.set(Instant.parse("2026-11-30T09:05:00Z"));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> sent.size() == 1);
      assertThat(Thread.getAllStackTraces().keySet())
          .anySatisfy(t -> assertThat(t.getName()).isEqualTo("angora-scheduler"));
    } finally {
      scheduler.close();
    }
    assertThat(texts()).containsExactly("tick.0905");
  }
}
