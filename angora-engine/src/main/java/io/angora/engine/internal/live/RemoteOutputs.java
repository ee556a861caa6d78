package io.angora.engine.internal.live;

import io.angora.api.JobEvent;
import io.angora.api.OutputChunk;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import io.angora.api.Subscription;
import io.angora.engine.internal.coordinator.RecentIds;
import io.angora.engine.internal.process.OutputTail;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of live output: a bounded tail of the output that remote workers ship
 * for each run they are running, kept in memory from the first chunk until the run ends, and
 * served like a local job's output (snapshot and follow). Chunks that come after the run ended
 * are ignored. At most a given number of runs are kept; when that many are, the tails of runs
 * that have ended meanwhile are let go, and a further run gets no live output until one
 * ends. Thread-safe.
 */
public final class RemoteOutputs {
  private static final Logger log = LoggerFactory.getLogger(RemoteOutputs.class);

  private final int tailBytes;
  private final int maxRuns;
  private final Predicate<String> ended;
  private final Map<String, OutputTail> tails = new HashMap<>(); // guarded by this
  private final RecentIds finished = new RecentIds();
  private boolean warnedFull; // guarded by this

  /**
   * Creates an empty set of tails.
   *
   * @param tailBytes how many of the newest bytes of each run are kept
   * @param maxRuns how many runs at most have a tail at once
   * @param ended whether a run has ended (its status is final), asked only when the tails are
   *     full
   */
  public RemoteOutputs(int tailBytes, int maxRuns, Predicate<String> ended) {
    if (maxRuns < 1) {
      throw new IllegalArgumentException("maxRuns must be at least 1: " + maxRuns);
    }
    this.tailBytes = tailBytes;
    this.maxRuns = maxRuns;
    this.ended = ended;
  }

  /**
   * Keeps the chunks of an output event: bytes already kept (a second copy) are skipped, a
   * jump in offsets (bytes the worker did not ship) is counted as dropped.
   *
   * @param output the event
   */
  public synchronized void accept(JobEvent.JobOutput output) {
    String runId = output.runId();
    OutputTail tail = tails.get(runId);
    if (tail == null) {
      if (finished.contains(runId) || !room()) {
        return;
      }
      tail = new OutputTail(tailBytes);
      tails.put(runId, tail);
    }
    for (OutputChunk chunk : output.chunks()) {
      long at = tail.written();
      if (chunk.end() <= at) {
        continue;
      }
      if (chunk.offset() > at) {
        tail.skip(chunk.offset() - at);
      }
      byte[] bytes = chunk.bytes();
      int from = (int) Math.max(0, at - chunk.offset());
      tail.write(chunk.stream(), bytes, from, bytes.length - from);
    }
  }

  /**
   * A run ended: its tail is let go, its followers get their end, and later chunks of it are
   * ignored.
   *
   * @param runId the run
   */
  public void end(String runId) {
    OutputTail tail;
    synchronized (this) {
      finished.seenBefore(runId);
      tail = tails.remove(runId);
    }
    if (tail != null) {
      tail.end();
    }
  }

  /**
   * The output of a remote run kept so far.
   *
   * @param runId the run
   * @return it; empty when no output of that run came, or the run ended
   */
  public Optional<OutputSnapshot> liveOutput(String runId) {
    return tail(runId).map(tail -> tail.snapshot(runId));
  }

  /**
   * Follows a remote run's output: what is kept, then each chunk as it comes, then the end.
   *
   * @param runId the run
   * @param listener called on the thread that consumes events; must not block
   * @return closing it stops the calls; empty when no output of that run came yet
   */
  public Optional<Subscription> followOutput(String runId, OutputListener listener) {
    return tail(runId).map(tail -> tail.follow(listener));
  }

  /** How many runs have a tail now. */
  public synchronized int size() {
    return tails.size();
  }

  private synchronized Optional<OutputTail> tail(String runId) {
    return Optional.ofNullable(tails.get(runId));
  }

  /** Whether one more run may have a tail; when full, first lets go of ended runs' tails. */
  private boolean room() {
    if (tails.size() < maxRuns) {
      return true;
    }
    tails.entrySet().removeIf(e -> {
      if (ended.test(e.getKey())) {
        finished.seenBefore(e.getKey());
        e.getValue().end();
        return true;
      }
      return false;
    });
    if (tails.size() < maxRuns) {
      return true;
    }
    if (!warnedFull) {
      warnedFull = true;
      log.warn("Live output of {} remote runs is kept already; further runs show their output "
          + "when they end", maxRuns);
    }
    return false;
  }
}
