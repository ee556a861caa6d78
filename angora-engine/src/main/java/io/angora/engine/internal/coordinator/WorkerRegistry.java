package io.angora.engine.internal.coordinator;

import io.angora.api.JobEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The workers the coordinator has heard from, by their heartbeats. Thread-safe. */
public final class WorkerRegistry {
  private final Clock clock;
  private final Duration timeout;
  private final Map<String, JobEvent.WorkerHeartbeat> lastBeat = new ConcurrentHashMap<>();

  WorkerRegistry(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
  }

  void seen(JobEvent.WorkerHeartbeat beat) {
    lastBeat.put(beat.worker(), beat);
  }

  /**
   * Every worker heard from, alive or not, by name.
   *
   * @return the last heartbeat of each with whether it is recent enough to count as alive
   */
  public List<Seen> all() {
    Instant now = clock.instant();
    return lastBeat.values().stream()
        .sorted(Comparator.comparing(JobEvent.WorkerHeartbeat::worker))
        .map(b -> new Seen(b, !b.at().plus(timeout).isBefore(now)))
        .toList();
  }

  /**
   * A worker's last heartbeat.
   *
   * @param beat the heartbeat
   * @param alive whether it came within the timeout
   */
  public record Seen(JobEvent.WorkerHeartbeat beat, boolean alive) {}
}
