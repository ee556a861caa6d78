package io.angora.tck;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Makes runs and messages for contract cases. Run ids are zero-padded counters
 * ({@code r000000001}, ...), so they sort in creation order as stores require; times are
 * microsecond-precise and increase by one second per run.
 *
 * <p>Thread-safe: ids come from an atomic counter.
 */
public final class RunFixtures {
  /** The first instant fixtures use; it has microseconds so precision losses show. */
  public static final Instant BASE = Instant.parse("2026-03-01T08:00:00.123456Z");

  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final Instant base;

  /** Creates fixtures whose times start at {@link #BASE}. */
  public RunFixtures() {
    this(BASE);
  }

  /**
   * Creates fixtures whose times start at a given instant.
   *
   * @param base the first run's queue time
   */
  public RunFixtures(Instant base) {
    this.base = base;
  }

  /**
   * Returns a new run id, greater than every id returned before.
   *
   * @return the id
   */
  public String nextRunId() {
    return String.format("r%09d", runs.incrementAndGet());
  }

  /**
   * Makes a queued run with a new id, queued one second after the previous one.
   *
   * @param task the task's name
   * @param workflowId the workflow instance
   * @return the run
   */
  public Run queued(String task, String workflowId) {
    String id = nextRunId();
    long n = Long.parseLong(id.substring(1));
    return queued(id, task, workflowId, base.plus(Duration.ofSeconds(n)));
  }

  /**
   * Makes a queued run with a given id and queue time.
   *
   * @param id the id
   * @param task the task's name
   * @param workflowId the workflow instance
   * @param at when it was queued
   * @return the run
   */
  public Run queued(String id, String task, String workflowId, Instant at) {
    Message trigger = new Message("m-" + id, task + ".go", null, workflowId, null, null, at);
    return Run.queued(id, task, trigger, 1, at);
  }

  /**
   * Makes a run finished with a status one minute after it was queued.
   *
   * @param run the run
   * @param status a final status
   * @return the finished copy
   */
  public static Run finish(Run run, RunStatus status) {
    Instant started = run.queuedAt().plusMillis(250);
    Integer code = null;
    if (status == RunStatus.SUCCEEDED) {
      code = 0;
    } else if (status == RunStatus.FAILED) {
      code = 1;
    }
    return run.started("worker-1", started)
        .finished(status, code, status == RunStatus.SUCCEEDED ? null : "exit " + code,
            "done", started.plusSeconds(60));
  }

  /**
   * Makes a received message.
   *
   * @param text the message string
   * @param payload the payload, or null
   * @return the message, sent one second after the previous one
   */
  public Message message(String text, @Nullable String payload) {
    long n = messages.incrementAndGet();
    return new Message(String.format("m%09d", n), text, payload, "wf-" + n, null, null,
        base.plus(Duration.ofSeconds(n)));
  }
}
