package io.angora.engine.schedule;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A schedule as the coordinator runs it, at one moment.
 *
 * @param schedule the schedule as defined
 * @param paused whether it is paused, by its definition or at run time
 * @param nextFire when it fires next, or null when paused or without future fire times
 * @param lastFire the fire time it last fired for (recorded in the run store), or null
 * @param recent the last messages it sent in this process, newest first (at most 10)
 */
public record ScheduleStatus(Schedule schedule, boolean paused, @Nullable Instant nextFire,
    @Nullable Instant lastFire, List<Firing> recent) {

  /** Copies the list. */
  public ScheduleStatus {
    recent = List.copyOf(recent);
  }

  /** The schedule's name. */
  public String name() {
    return schedule.name();
  }
}
