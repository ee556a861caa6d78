package io.angora.engine.internal.scheduling;

import io.angora.api.Message;
import io.angora.api.NotFoundException;
import io.angora.api.RunStore;
import io.angora.api.Transport;
import io.angora.engine.internal.coordinator.Ids;
import io.angora.engine.schedule.Firing;
import io.angora.engine.schedule.Misfire;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import io.angora.engine.schedule.ScheduleStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires schedules: on each {@link #tick}, sends the message of every schedule whose fire time
 * has come, through the transport like any message. Runs in the coordinator only. A fire time
 * fires when the tick comes at most {@code grace} after it; older ones are misfires, handled by
 * the schedule's {@link Misfire} policy. Fires are at-least-once: the fire time is recorded only
 * once its message is confirmed sent (a send that fails is tried again with the same message),
 * and the message's id is derived from the schedule and fire time ({@link Ids#fire}), so a fire
 * repeated after a crash is recognised: not sent again when the store already received it, and
 * otherwise not run twice by the coordinator. Thread-safe:
 * ticks, reloads, pauses and status reads are serialized on this object.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  private static final int RECENT = 10;
  private static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(1),
      Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(32), Duration.ofDays(367));

  private final Transport transport;
  private final ScheduleMarks marks;
  private final Clock clock;
  private static final long RETRY_FIRST_MILLIS = 500;
  private static final long RETRY_MAX_MILLIS = 30_000;
  private final RunStore store;
  private final Ids ids;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "angora-schedule-send");
        t.setDaemon(true);
        return t;
      });
  private final Duration grace;
  private final ScheduleTimer timer;
  private Map<String, Entry> entries = new LinkedHashMap<>();

  /**
   * Creates a scheduler without schedules; {@link #replace} gives it some.
   *
   * @param transport where messages go
   * @param store where last fire times and pauses are recorded
   * @param clock the time source
   * @param ids makes message ids
   * @param grace how late a fire time may still fire as on time
   * @param maxSleep the longest the timer sleeps between ticks (it notices clock changes)
   */
  public Scheduler(Transport transport, RunStore store, Clock clock, Ids ids,
      Duration grace, Duration maxSleep) {
    this.transport = transport;
    this.store = store;
    this.marks = new ScheduleMarks(store);
    this.clock = clock;
    this.ids = ids;
    this.grace = grace;
    this.timer = new ScheduleTimer(this::tick, clock, maxSleep);
  }

  /**
   * Puts schedules in force. A schedule keeps its state across a reload when its timing and
   * zone stay; a new or changed one starts from its recorded last fire time, or from now.
   *
   * @param schedules the schedules, names unique (as a {@link ScheduleSource} gives them)
   */
  public synchronized void replace(List<Schedule> schedules) {
    Instant now = clock.instant();
    Map<String, Entry> fresh = new LinkedHashMap<>();
    for (Schedule schedule : schedules) {
      Entry old = entries.get(schedule.name());
      Entry entry;
      if (old != null && old.schedule.timing().equals(schedule.timing())
          && old.schedule.zone().equals(schedule.zone())) {
        entry = old;
        entry.schedule = schedule;
      } else {
        Instant last = marks.lastFire(schedule.name()).orElse(null);
        Instant anchor = old == null && last != null ? last : now;
        entry = new Entry(schedule, last, marks.paused(schedule.name()));
        entry.next = schedule.nextAfter(anchor).orElse(null);
      }
      fresh.put(schedule.name(), entry);
    }
    entries = fresh;
    timer.wake();
  }

  /** Starts the timer thread {@code angora-scheduler}. */
  public void start() {
    timer.start();
  }

  /**
   * Fires what is due now.
   *
   * @return the next fire time of an active schedule, or null when there is none
   */
  public @Nullable Instant tick() {
    return tick(clock.instant());
  }

  /**
   * Fires what is due at an instant.
   *
   * @param now the instant
   * @return the next fire time of an active schedule, or null when there is none
   */
  public synchronized @Nullable Instant tick(Instant now) {
    Instant soonest = null;
    for (Entry entry : entries.values()) {
      if (entry.next != null && !entry.next.isAfter(now)) {
        try {
          due(entry, now);
        } catch (RuntimeException e) {
          // The store or transport failed: this fire time is lost, the others still fire.
          log.error("Schedule {} could not fire at {}", entry.schedule.name(), now, e);
        }
      }
      if (!entry.paused() && entry.next != null
          && (soonest == null || entry.next.isBefore(soonest))) {
        soonest = entry.next;
      }
    }
    return soonest;
  }

  private void due(Entry entry, Instant now) {
    Schedule schedule = entry.schedule;
    Instant first = entry.next;
    Instant latest = first;
    // After a downtime, find a fire time close to now before walking to the latest one, so
    // that a minutely schedule down for days does not walk thousands of fire times.
    for (Duration window : WINDOWS) {
      Instant from = now.minus(window);
      if (!from.isAfter(latest)) {
        break;
      }
      Optional<Instant> near = schedule.nextAfter(from);
      if (near.isPresent() && !near.get().isAfter(now)) {
        latest = near.get();
        break;
      }
    }
    for (Optional<Instant> n = schedule.nextAfter(latest); n.isPresent() && !n.get().isAfter(now);
        n = schedule.nextAfter(latest)) {
      latest = n.get();
    }
    boolean earlierMissed = !latest.equals(first);
    entry.next = schedule.nextAfter(latest).orElse(null);
    if (entry.paused()) {
      return;
    }
    boolean onTime = !now.isAfter(latest.plus(grace));
    if (onTime || schedule.misfire() == Misfire.FIRE_ONCE) {
      if (!onTime || earlierMissed) {
        log.info("Schedule {} missed fire times from {} to {}; misfire {}: {}", schedule.name(),
            first, latest, schedule.misfire().fileName(),
            onTime ? "firing the latest, which is on time" : "firing once to catch up");
      }
      fire(entry, latest, !onTime);
    } else {
      log.info("Schedule {} missed fire times from {} to {}; misfire skip: next at {}",
          schedule.name(), first, latest, entry.next);
    }
  }

  private void fire(Entry entry, Instant fireTime, boolean catchUp) {
    Schedule schedule = entry.schedule;
    entry.lastFire = fireTime;
    String text = schedule.messageAt(fireTime);
    // From the schedule and fire time, sent at its fire time: a repeated fire is the same
    // message, with the same run ids.
    String id = Schedule.messageId(ids.fire(schedule.name(), fireTime), schedule.name());
    Message message = new Message(id, text, schedule.payload(), id, null, null, fireTime);
    log.debug("Schedule {} fires for {}: {}", schedule.name(), fireTime, text);
    send(entry, message, catchUp, false, RETRY_FIRST_MILLIS);
  }

  /**
   * Sends a fire's message and records the fire once the transport confirmed it; tries again
   * after a growing pause while the transport or the store fails.
   *
   * @param repeated true when tried before: a message the store received already is not sent
   */
  private void send(Entry entry, Message message, boolean catchUp, boolean repeated,
      long retryMillis) {
    try {
      if (repeated && store.findMessage(message.id()).isPresent()) {
        recorded(entry, message, catchUp, null);
        return;
      }
      transport.send(message).whenComplete((ok, error) -> {
        if (error == null) {
          recorded(entry, message, catchUp, null);
        } else {
          retry(entry, message, catchUp, retryMillis, String.valueOf(error.getMessage()));
        }
      });
    } catch (RuntimeException e) {
      retry(entry, message, catchUp, retryMillis, e.toString());
    }
  }

  private void retry(Entry entry, Message message, boolean catchUp, long retryMillis,
      String problem) {
    log.error("Schedule {}: message '{}' for {} was not accepted: {}; trying again in {} ms",
        entry.schedule.name(), message.text(), message.sentAt(), problem, retryMillis);
    note(entry, message, catchUp, problem);
    try {
      retries.schedule(() -> send(entry, message, catchUp, true,
          Math.min(retryMillis * 2, RETRY_MAX_MILLIS)), retryMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      log.info("Schedule {}: fire for {} not sent before stopping; it fires again at the next "
          + "start (misfire policy)", entry.schedule.name(), message.sentAt());
    }
  }

  /** The fire's message is confirmed: the fire time is recorded, a restart does not repeat it. */
  private void recorded(Entry entry, Message message, boolean catchUp,
      @Nullable String problem) {
    synchronized (entry) {
      Instant fireTime = message.sentAt();
      if (entry.recordedFire == null || fireTime.isAfter(entry.recordedFire)) {
        marks.recordFire(entry.schedule.name(), fireTime);
        entry.recordedFire = fireTime;
      }
    }
    note(entry, message, catchUp, problem);
  }

  private void note(Entry entry, Message message, boolean catchUp, @Nullable String problem) {
    entry.recent.addFirst(new Firing(message.sentAt(), message.id(), message.text(),
        clock.instant(), catchUp, problem));
    while (entry.recent.size() > RECENT) {
      entry.recent.pollLast();
    }
  }

  /** Each schedule in force, in definition order. */
  public synchronized List<ScheduleStatus> statuses() {
    List<ScheduleStatus> all = new ArrayList<>();
    for (Entry entry : entries.values()) {
      all.add(entry.status());
    }
    return all;
  }

  /**
   * Pauses a schedule, durably: its fire times pass without firing until it is resumed.
   *
   * @param name the schedule
   * @return its status
   * @throws NotFoundException for an unknown schedule
   */
  public synchronized ScheduleStatus pause(String name) {
    Entry entry = entry(name);
    marks.setPaused(name, true);
    entry.pausedAtRunTime = true;
    return entry.status();
  }

  /**
   * Resumes a schedule paused at run time; it fires from the next fire time after now, without
   * catching up the time it was paused.
   *
   * @param name the schedule
   * @return its status
   * @throws NotFoundException for an unknown schedule
   * @throws IllegalStateException when its definition pauses it
   */
  public synchronized ScheduleStatus resume(String name) {
    Entry entry = entry(name);
    if (entry.schedule.paused()) {
      throw new IllegalStateException("schedule '" + name + "' is paused in its definition ("
          + entry.schedule.origin() + "); remove 'paused: true' there and reload");
    }
    marks.setPaused(name, false);
    if (entry.pausedAtRunTime) {
      entry.pausedAtRunTime = false;
      entry.next = entry.schedule.nextAfter(clock.instant()).orElse(null);
    }
    timer.wake();
    return entry.status();
  }

  private Entry entry(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new NotFoundException("schedule", name);
    }
    return entry;
  }

  /** Stops the timer thread; a tick in progress finishes first. */
  @Override
  public void close() {
    timer.close();
    retries.shutdownNow();
  }

  /** A schedule in force and its state. Guarded by the scheduler, but for {@link #recent}. */
  private static final class Entry {
    Schedule schedule;
    @Nullable Instant next;
    @Nullable Instant lastFire;
    @Nullable Instant recordedFire; // guarded by this entry
    boolean pausedAtRunTime;
    final Deque<Firing> recent = new ConcurrentLinkedDeque<>();

    Entry(Schedule schedule, @Nullable Instant lastFire, boolean pausedAtRunTime) {
      this.schedule = schedule;
      this.lastFire = lastFire;
      this.recordedFire = lastFire;
      this.pausedAtRunTime = pausedAtRunTime;
    }

    boolean paused() {
      return schedule.paused() || pausedAtRunTime;
    }

    ScheduleStatus status() {
      return new ScheduleStatus(schedule, paused(), paused() ? null : next, lastFire,
          List.copyOf(recent));
    }
  }
}
