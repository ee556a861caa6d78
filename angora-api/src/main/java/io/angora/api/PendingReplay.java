package io.angora.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A replay of a failed run, due at a time; kept in the run store so a restart loses none.
 *
 * @param runId the failed run to replay
 * @param dueAt when the next attempt should be queued
 */
public record PendingReplay(String runId, Instant dueAt) {
  /** Checks the fields. */
  public PendingReplay {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(dueAt, "dueAt");
  }
}
