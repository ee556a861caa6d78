package io.angora.engine.internal.scheduling;

import io.angora.api.RunStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedule state (last fire time, paused) in the run store, or in memory when the store does
 * not keep it: then a restart forgets it, which the log says once. Thread-safe.
 */
final class ScheduleMarks {
  private static final Logger log = LoggerFactory.getLogger(ScheduleMarks.class);

  private final RunStore store;
  private volatile boolean inMemory;
  private final Map<String, Instant> lastFires = new ConcurrentHashMap<>();
  private final Map<String, Boolean> paused = new ConcurrentHashMap<>();

  ScheduleMarks(RunStore store) {
    this.store = store;
  }

  Optional<Instant> lastFire(String schedule) {
    if (!inMemory) {
      try {
        return store.lastFire(schedule);
      } catch (UnsupportedOperationException e) {
        fallBack(e);
      }
    }
    return Optional.ofNullable(lastFires.get(schedule));
  }

  void recordFire(String schedule, Instant fireTime) {
    if (!inMemory) {
      try {
        store.recordFire(schedule, fireTime);
        return;
      } catch (UnsupportedOperationException e) {
        fallBack(e);
      }
    }
    lastFires.put(schedule, fireTime);
  }

  boolean paused(String schedule) {
    if (!inMemory) {
      try {
        return store.schedulePaused(schedule);
      } catch (UnsupportedOperationException e) {
        fallBack(e);
      }
    }
    return paused.getOrDefault(schedule, Boolean.FALSE);
  }

  void setPaused(String schedule, boolean value) {
    if (!inMemory) {
      try {
        store.setSchedulePaused(schedule, value);
        return;
      } catch (UnsupportedOperationException e) {
        fallBack(e);
      }
    }
    paused.put(schedule, value);
  }

  private void fallBack(UnsupportedOperationException e) {
    if (!inMemory) {
      inMemory = true;
      log.warn("{}; schedule state (last fire times, pauses) is kept in memory only, so a "
          + "restart may fire a schedule again and forgets pauses", e.getMessage());
    }
  }
}
