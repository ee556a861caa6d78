package io.angora.engine;

import java.time.Instant;
import java.util.List;

/**
 * A worker as last seen by the coordinator.
 *
 * @param name the worker's name
 * @param host the host it runs on
 * @param concurrency how many jobs it runs at once at most
 * @param runIds the runs it was running at its last report
 * @param lastSeen when it last reported
 * @param alive whether it reported recently enough to be considered alive
 */
public record WorkerInfo(String name, String host, int concurrency, List<String> runIds,
    Instant lastSeen, boolean alive) {
  /** Copies the list. */
  public WorkerInfo {
    runIds = List.copyOf(runIds);
  }
}
