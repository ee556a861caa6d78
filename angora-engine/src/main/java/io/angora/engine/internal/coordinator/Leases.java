package io.angora.engine.internal.coordinator;

import io.angora.api.JobEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's truth about work in flight, for a transport that outlives processes.
 *
 * <p>A RUNNING run is held by a lease: granted when its worker reports the start, renewed by
 * every heartbeat of that worker listing the run, and expired when no such heartbeat arrived
 * for the lease length while the coordinator was connected (time spent disconnected does not
 * count: the silence was the coordinator's, not the worker's).
 *
 * <p>A QUEUED run whose job may not be in flight (its dispatch was not confirmed, or the
 * coordinator restarted) is a suspect. Suspects are settled by a check that needs no access to
 * the queue's contents: once the start queue has no ready job, every job dispatched before is
 * held by some worker, and every worker lists what it holds in its heartbeats; a suspect no
 * heartbeat listed during one lease length after that moment is not in flight, and is dispatched
 * again.
 *
 * <p>Times are the coordinator's clock at receipt, never the workers' clocks. Thread-safe: every
 * method is synchronized.
 */
final class Leases {
  private final Clock clock;
  private final Duration length;
  private final Map<String, Lease> leases = new HashMap<>();
  private final Set<String> suspects = new LinkedHashSet<>();
  private @Nullable Instant silentUntil;
  private @Nullable Check check;

  private record Lease(String worker, Instant renewed) {}

  /** A check of the suspects known at {@code since}; {@code heard} are those seen in flight. */
  private record Check(Instant since, Set<String> candidates, Set<String> heard) {}

  /** What a sweep found: RUNNING runs whose lease expired, and suspects to dispatch again. */
  record Sweep(List<Expired> expired, List<String> redispatch) {}

  /**
   * A lease that expired.
   *
   * @param runId the run
   * @param worker the worker that held it
   */
  record Expired(String runId, String worker) {}

  Leases(Clock clock, Duration length) {
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("lease length must be positive: " + length);
    }
    this.clock = clock;
    this.length = length;
  }

  Duration length() {
    return length;
  }

  /** A worker started a run: it holds the run's lease from now. */
  synchronized void grant(String runId, String worker) {
    suspects.remove(runId);
    heard(runId);
    leases.put(runId, new Lease(worker, clock.instant()));
  }

  /** Renews the leases a heartbeat lists, and notes every run it lists as in flight. */
  synchronized void renew(JobEvent.WorkerHeartbeat beat) {
    Instant now = clock.instant();
    for (String runId : beat.runIds()) {
      heard(runId);
      Lease lease = leases.get(runId);
      if (lease != null && lease.worker().equals(beat.worker())) {
        leases.put(runId, new Lease(lease.worker(), now));
      }
    }
  }

  /** A run finished (or is no longer this coordinator's concern): forget it. */
  synchronized void release(String runId) {
    leases.remove(runId);
    suspects.remove(runId);
    heard(runId);
  }

  /** A QUEUED run's job may not be in flight. */
  synchronized void suspect(String runId) {
    leases.remove(runId);
    suspects.add(runId);
  }

  /** The holder of a run's lease, if it has one. */
  synchronized @Nullable String holder(String runId) {
    Lease lease = leases.get(runId);
    return lease == null ? null : lease.worker();
  }

  synchronized int size() {
    return leases.size();
  }

  synchronized int suspects() {
    return suspects.size();
  }

  private void heard(String runId) {
    if (check != null) {
      check.heard().add(runId);
    }
  }

  /**
   * Expires leases and settles suspects.
   *
   * @param connected whether the coordinator can hear workers now
   * @param readyJobs jobs ready in the start queue, or null when unknown
   * @return what to do about it
   */
  synchronized Sweep sweep(boolean connected, @Nullable Long readyJobs) {
    Instant now = clock.instant();
    if (!connected) {
      silentUntil = now;
      check = null; // heartbeats may be missed while disconnected: start over
      return new Sweep(List.of(), List.of());
    }
    List<Expired> expired = new ArrayList<>();
    for (var it = leases.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      Instant from = entry.getValue().renewed();
      if (silentUntil != null && silentUntil.isAfter(from)) {
        from = silentUntil;
      }
      if (!from.plus(length).isAfter(now)) {
        it.remove();
        expired.add(new Expired(entry.getKey(), entry.getValue().worker()));
      }
    }
    List<String> redispatch = new ArrayList<>();
    if (check != null && !check.since().plus(length).isAfter(now)) {
      for (String runId : check.candidates()) {
        if (!check.heard().contains(runId) && suspects.remove(runId)) {
          redispatch.add(runId);
        }
      }
      check = null;
    }
    if (check == null && !suspects.isEmpty() && readyJobs != null && readyJobs == 0) {
      check = new Check(now, new HashSet<>(suspects), new HashSet<>());
    }
    return new Sweep(expired, redispatch);
  }
}
