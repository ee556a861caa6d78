package io.angora.benchmarks;

import io.angora.api.Cancellation;
import io.angora.api.Executor;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;

/**
 * A diagnostic executor that launches exactly as {@link SpawnLoop} does (the command as one
 * word, inherited environment, pipes read on the calling thread): with it, a mode's distance to
 * the bare loop is the engine's own (coordinator, worker, transport, store), without the
 * process executor's. Selected with {@code --executor spawn}; never for published figures of
 * Angora itself. Thread-safe (stateless).
 */
final class SpawnExecutor implements Executor {
  private final Clock clock;

  /**
   * Creates the executor.
   *
   * @param clock gives start and end times
   */
  SpawnExecutor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public JobEvent.JobFinished execute(Job job, String worker, Cancellation cancellation) {
    Instant start = clock.instant();
    try {
      Process process = new ProcessBuilder(job.task().command()).start();
      process.getOutputStream().close();
      drain(process.getInputStream());
      drain(process.getErrorStream());
      int code = process.waitFor();
      return new JobEvent.JobFinished(job.runId(), job.task().name(),
          code == 0 ? RunStatus.SUCCEEDED : RunStatus.FAILED, code,
          code == 0 ? null : "exit code " + code, "", worker, start, clock.instant());
    } catch (IOException e) {
      return new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.FAILED, null,
          "cannot start '" + job.task().command() + "': " + e.getMessage(), "", worker, start,
          clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.CANCELLED, null,
          "interrupted", "", worker, start, clock.instant());
    }
  }

  private static void drain(InputStream in) throws IOException {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
