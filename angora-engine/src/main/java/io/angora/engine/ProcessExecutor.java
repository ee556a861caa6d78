package io.angora.engine;

import io.angora.api.Cancellation;
import io.angora.api.Executor;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** TEMPORARY until the real one lands. */
public final class ProcessExecutor implements Executor {
  public static ProcessExecutor create() {
    return new ProcessExecutor();
  }

  @Override
  public JobEvent.JobFinished execute(Job job, String worker, Cancellation cancellation) {
    Instant start = Instant.now();
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of(job.task().command().split("\\s+")));
      pb.redirectErrorStream(true);
      pb.environment().put("ANGORA_PAYLOAD", job.message().payload() == null ? "" : job.message().payload());
      Process p = pb.start();
      cancellation.onCancel(p::destroyForcibly);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      RunStatus st = cancellation.isCancelled() ? RunStatus.CANCELLED : code == 0 ? RunStatus.SUCCEEDED : RunStatus.FAILED;
      return new JobEvent.JobFinished(job.runId(), job.task().name(), st, code,
          code == 0 ? null : "exit code " + code, out, worker, start, Instant.now());
    } catch (IOException e) {
      return new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.FAILED, null,
          "cannot start: " + e.getMessage(), "", worker, start, Instant.now());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.CANCELLED, null,
          "interrupted", "", worker, start, Instant.now());
    }
  }
}
