package io.angora.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What workers report to the coordinator over the transport's results channel. */
public sealed interface JobEvent {

  /** The worker that reports. */
  String worker();

  /** When the event happened. */
  Instant at();

  /**
   * A worker started a job's command.
   *
   * @param runId the run
   * @param task the task's name
   * @param worker the worker's name
   * @param at when the command started
   */
  record JobStarted(String runId, String task, String worker, Instant at) implements JobEvent {
    /** Checks the fields. */
    public JobStarted {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A job finished, one way or another.
   *
   * @param runId the run
   * @param task the task's name
   * @param status a final status
   * @param exitCode the exit code, or null when the command did not exit by itself
   * @param reason why it failed, timed out or was cancelled, or null on success
   * @param output the newest part of standard output and error
   * @param worker the worker's name
   * @param startedAt when the command started (or was attempted)
   * @param at when it finished
   */
  record JobFinished(String runId, String task, RunStatus status, @Nullable Integer exitCode,
      @Nullable String reason, String output, String worker, Instant startedAt, Instant at)
      implements JobEvent {
    /** Checks the fields. */
    public JobFinished {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(at, "at");
      if (!status.isFinal()) {
        throw new IllegalArgumentException("job " + runId + ": " + status + " is not final");
      }
    }
  }

  /**
   * Live output of a job a worker is running: the newest pieces it wrote since the last such
   * event, so that the coordinator can show a remote job's output while it runs. Best effort:
   * pieces the worker could not ship in time are left out (the offsets then jump), and the
   * run's recorded output ({@link JobFinished#output()}) stays the reference.
   *
   * @param runId the run
   * @param task the task's name
   * @param chunks the pieces, oldest first, not overlapping, at least one
   * @param worker the worker's name
   * @param at when the worker sent them
   */
  record JobOutput(String runId, String task, List<OutputChunk> chunks, String worker,
      Instant at) implements JobEvent {
    /** Checks the fields and copies the list. */
    public JobOutput {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(at, "at");
      chunks = List.copyOf(chunks);
      if (chunks.isEmpty()) {
        throw new IllegalArgumentException("output of run " + runId + " has no chunks");
      }
      for (int i = 1; i < chunks.size(); i++) {
        if (chunks.get(i).offset() < chunks.get(i - 1).end()) {
          throw new IllegalArgumentException("output of run " + runId + ": chunk " + i
              + " at offset " + chunks.get(i).offset() + " overlaps the one before it");
        }
      }
    }

    /** How many bytes the chunks hold together. */
    public long length() {
      return chunks.stream().mapToLong(OutputChunk::length).sum();
    }
  }

  /**
   * A worker is alive; sent periodically.
   *
   * @param worker the worker's name
   * @param host the host it runs on
   * @param concurrency how many jobs it runs at once at most
   * @param runIds the runs it is running now
   * @param at when it reported
   */
  record WorkerHeartbeat(String worker, String host, int concurrency, List<String> runIds,
      Instant at) implements JobEvent {
    /** Copies the list. */
    public WorkerHeartbeat {
      runIds = List.copyOf(runIds);
    }
  }
}
