package io.angora.engine.internal.coordinator;

import io.angora.api.FlowControl;
import io.angora.api.Job;
import io.angora.api.Run;
import io.angora.api.TaskDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The coordinator's flow control: which runs of limited tasks are dispatched (counted against
 * their task's concurrency, their group's, and their task's rate) and which wait, in order:
 * higher priority first, then oldest (queue time in whole milliseconds, as every store keeps it,
 * then id: the same order after a restart). A run counts from its admission until
 * {@link #release} (its outcome recorded, its lease expired, cancelled). Rates are sliding
 * windows over admission times, kept in memory only (a restarted coordinator starts a fresh
 * window). Runs of tasks without limits never enter the gate. Not thread-safe: the coordinator
 * calls it under its run lock.
 */
final class FlowGate {
  /** A run waiting for a slot, with the job to publish once admitted. */
  record Waiting(Run run, Job job) {
    TaskDefinition task() {
      return job.task();
    }
  }

  private static final Comparator<Waiting> ORDER = Comparator
      .comparingInt((Waiting w) -> -w.task().flow().priority())
      .thenComparing(w -> w.run().queuedAt().truncatedTo(ChronoUnit.MILLIS))
      .thenComparing(w -> w.run().id());

  private final TreeSet<Waiting> waiting = new TreeSet<>(ORDER);
  private final Map<String, Waiting> waitingById = new HashMap<>();
  /** Admitted, unfinished runs by id, with their task (its limits as when queued). */
  private final Map<String, TaskDefinition> active = new HashMap<>();
  private final Map<String, Set<String>> activeByTask = new HashMap<>();
  private final Map<String, Set<String>> activeByGroup = new HashMap<>();
  /** Admission times within the rate period, oldest first, by task. */
  private final Map<String, Deque<Instant>> admissions = new HashMap<>();

  /**
   * Why a new run of a task would not be dispatched now, or empty. Reads only.
   *
   * @param task the task
   * @param now the time
   * @return e.g. {@code concurrency limit reached: 1 of 1 running}
   */
  Optional<String> hold(TaskDefinition task, Instant now) {
    Optional<String> full = full(task);
    if (full.isPresent()) {
      return task.flow().overflow() == FlowControl.Overflow.SKIP
          ? Optional.of(full.get() + "; it would be skipped (overflow: skip)") : full;
    }
    Optional<String> rate = rateUsed(task, now);
    if (rate.isPresent()) {
      return rate;
    }
    long ahead = waiting.stream().filter(w -> sharesALimit(w.task(), task)).count();
    return ahead == 0 ? Optional.empty() : Optional.of(ahead + (ahead == 1 ? " run" : " runs")
        + " of the same limits already waiting");
  }

  /**
   * Why a run of the task would be skipped now ({@code overflow: skip} with a concurrency
   * limit reached), or empty.
   */
  Optional<String> skip(TaskDefinition task) {
    return task.flow().overflow() == FlowControl.Overflow.SKIP
        ? full(task).map(why -> why + " (overflow: skip)") : Optional.empty();
  }

  /**
   * Puts a queued run in line; {@link #admit} then says whether it may go.
   *
   * @param run the run, QUEUED
   * @param job its job
   */
  void enqueue(Run run, Job job) {
    if (active.containsKey(run.id()) || waitingById.containsKey(run.id())) {
      return;
    }
    Waiting w = new Waiting(run, job);
    waiting.add(w);
    waitingById.put(run.id(), w);
  }

  /** Whether a run is waiting in line (not dispatched). */
  boolean isWaiting(String runId) {
    return waitingById.containsKey(runId);
  }

  /** Whether a run was admitted and has not finished. */
  boolean isActive(String runId) {
    return active.containsKey(runId);
  }

  /** How many runs wait. */
  int waitingCount() {
    return waiting.size();
  }

  /**
   * Admits waiting runs, in order, as far as the limits allow; a run that cannot go does not
   * hold back runs behind it that other limits govern.
   *
   * @param now the time
   * @return the jobs admitted, in order, to publish
   */
  List<Job> admit(Instant now) {
    List<Job> admitted = new ArrayList<>();
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (full(w.task()).isEmpty() && rateUsed(w.task(), now).isEmpty()) {
        it.remove();
        waitingById.remove(w.run().id());
        count(w.run().id(), w.task(), now);
        admitted.add(w.job());
      }
    }
    return admitted;
  }

  /**
   * Counts a run that runs whatever the limits say (it was found running, e.g. a job in flight
   * before a restart): it leaves the line if it was in it.
   *
   * @param runId the run
   * @param task its task
   * @param now the time
   */
  void running(String runId, TaskDefinition task, Instant now) {
    if (!task.flow().limited() || active.containsKey(runId)) {
      return;
    }
    Waiting w = waitingById.remove(runId);
    if (w != null) {
      waiting.remove(w);
    }
    count(runId, task, now);
  }

  /**
   * Forgets a finished run: frees its slot, or takes it out of the line.
   *
   * @param runId the run
   * @return true when this freed a slot or a place in line
   */
  boolean release(String runId) {
    Waiting w = waitingById.remove(runId);
    if (w != null) {
      waiting.remove(w);
      return true;
    }
    TaskDefinition task = active.remove(runId);
    if (task == null) {
      return false;
    }
    remove(activeByTask, task.name(), runId);
    FlowControl.Group group = task.flow().group();
    if (group != null) {
      remove(activeByGroup, group.name(), runId);
    }
    return true;
  }

  /**
   * The earliest time a rate window opens for a waiting run held back only by its rate.
   *
   * @param now the time
   * @return when to try {@link #admit} again, or empty
   */
  Optional<Instant> nextRateOpening(Instant now) {
    Instant next = null;
    for (Waiting w : waiting) {
      if (full(w.task()).isPresent()) {
        continue;
      }
      Instant opens = rateOpensAt(w.task(), now).orElse(null);
      if (opens != null && (next == null || opens.isBefore(next))) {
        next = opens;
      }
    }
    return Optional.ofNullable(next);
  }

  private void count(String runId, TaskDefinition task, Instant now) {
    active.put(runId, task);
    activeByTask.computeIfAbsent(task.name(), k -> new HashSet<>()).add(runId);
    FlowControl.Group group = task.flow().group();
    if (group != null) {
      activeByGroup.computeIfAbsent(group.name(), k -> new HashSet<>()).add(runId);
    }
    FlowControl.Rate rate = task.flow().rate();
    if (rate != null) {
      Deque<Instant> times = admissions.computeIfAbsent(task.name(), k -> new ArrayDeque<>());
      Instant windowStart = now.minus(rate.period());
      while (!times.isEmpty() && !times.peekFirst().isAfter(windowStart)) {
        times.pollFirst();
      }
      times.addLast(now);
    }
  }

  /** Why the task's or its group's concurrency limit is reached, or empty. */
  private Optional<String> full(TaskDefinition task) {
    FlowControl flow = task.flow();
    int running = size(activeByTask, task.name());
    if (flow.concurrency() != FlowControl.NO_LIMIT && running >= flow.concurrency()) {
      return Optional.of("concurrency limit reached: " + running + " of " + flow.concurrency()
          + " running");
    }
    FlowControl.Group group = flow.group();
    if (group != null) {
      int inGroup = size(activeByGroup, group.name());
      if (inGroup >= group.limit()) {
        return Optional.of("concurrency group " + group.name() + " full: " + inGroup + " of "
            + group.limit() + " running");
      }
    }
    return Optional.empty();
  }

  /** Why the task's rate allows no start now, or empty. */
  private Optional<String> rateUsed(TaskDefinition task, Instant now) {
    FlowControl.Rate rate = task.flow().rate();
    return rateOpensAt(task, now).map(until -> "rate " + rate + " used: "
        + Objects.requireNonNull(rate).count() + " started in the last "
        + describe(rate.period()) + ", next start at " + until);
  }

  /** When the task's rate next allows a start, or empty when it allows one now. */
  private Optional<Instant> rateOpensAt(TaskDefinition task, Instant now) {
    FlowControl.Rate rate = task.flow().rate();
    Deque<Instant> times = admissions.get(task.name());
    if (rate == null || times == null) {
      return Optional.empty();
    }
    Instant windowStart = now.minus(rate.period());
    List<Instant> inWindow = times.stream().filter(t -> t.isAfter(windowStart)).toList();
    if (inWindow.size() < rate.count()) {
      return Optional.empty();
    }
    return Optional.of(inWindow.get(inWindow.size() - rate.count()).plus(rate.period()));
  }

  private static boolean sharesALimit(TaskDefinition a, TaskDefinition b) {
    FlowControl.Group ga = a.flow().group();
    FlowControl.Group gb = b.flow().group();
    return a.name().equals(b.name()) || ga != null && gb != null && ga.name().equals(gb.name());
  }

  private static String describe(Duration period) {
    return period.equals(Duration.ofSeconds(1)) ? "second" : period.equals(Duration.ofMinutes(1))
        ? "minute" : period.equals(Duration.ofHours(1)) ? "hour"
        : period.equals(Duration.ofDays(1)) ? "day" : period.toString();
  }

  private static int size(Map<String, Set<String>> map, String key) {
    Set<String> set = map.get(key);
    return set == null ? 0 : set.size();
  }

  private static void remove(Map<String, Set<String>> map, String key, String runId) {
    Set<String> set = map.get(key);
    if (set != null && set.remove(runId) && set.isEmpty()) {
      map.remove(key);
    }
  }
}
