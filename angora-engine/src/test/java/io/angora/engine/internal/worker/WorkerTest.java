package io.angora.engine.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Executor;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.InMemoryTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's start reports and acknowledgements, on the in-memory transport. */
class WorkerTest {
  private final InMemoryTransport transport = new InMemoryTransport();
  private final List<JobEvent> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private Worker worker;

  /** Runs a job until {@link #release} opens, then succeeds. */
  private final Executor blocking = (job, name, cancellation) -> {
    Instant start = Instant.now();
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.SUCCEEDED, 0,
        null, "", name, start, Instant.now());
  };

  @AfterEach
  void stop() {
    release.countDown();
    if (worker != null) {
      worker.close();
    }
    transport.close();
  }

  private void start(Executor executor, Duration startReportDelay) {
    transport.consumeEvents(d -> {
      events.add(d.body());
      d.ack();
    });
    worker = new Worker("w1", "host", 2, transport, executor, Clock.systemUTC(),
        Duration.ofMillis(100), Duration.ofSeconds(1), startReportDelay);
    worker.start();
  }

  private static Job job(String runId) {
    TaskDefinition task = TaskDefinition.builder("t").triggers("t.go").command("true").build();
    Message message = new Message("msg-" + runId, "t.go", null, "wf-1", null, null,
        Instant.now());
    return new Job(runId, task, message, 1);
  }

  private long startQueueHolds() {
    return transport.queueDepths().get("start"); // ready plus delivered, unsettled
  }

  @Test
  void aJobQuickerThanTheStartReportDelayReportsOnlyItsOutcome() {
    start((job, name, c) -> new JobEvent.JobFinished(job.runId(), job.task().name(),
        RunStatus.SUCCEEDED, 0, null, "", name, Instant.now(), Instant.now()),
        Duration.ofSeconds(10));
    transport.dispatch(job("quick"));

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> e instanceof JobEvent.JobFinished));
    await().atMost(Duration.ofSeconds(10)).until(() -> startQueueHolds() == 0);
    assertThat(events).noneMatch(e -> e instanceof JobEvent.JobStarted);
  }

  @Test
  void aLongerJobIsAcknowledgedOnceItsStartIsReportedAndListedInHeartbeats() {
    start(blocking, Duration.ofMillis(20));
    transport.dispatch(job("long"));

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> e instanceof JobEvent.JobStarted s && s.runId().equals("long")));
    // Still running, yet no longer held as an unsettled delivery: the lease covers it.
    await().atMost(Duration.ofSeconds(10)).until(() -> startQueueHolds() == 0);
    assertThat(worker.runningCount()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> e instanceof JobEvent.WorkerHeartbeat b && b.runIds().contains("long")));
    assertThat(events).noneMatch(e -> e instanceof JobEvent.JobFinished);

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> e instanceof JobEvent.JobFinished f && f.runId().equals("long")));
  }

  @Test
  void aJobWaitingForASlotIsListedInHeartbeatsAndRunsWhenOneFrees() {
    start(blocking, Duration.ZERO);
    transport.dispatch(job("a"));
    transport.dispatch(job("b"));
    transport.dispatch(job("c")); // concurrency 2: waits for a slot

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> e instanceof JobEvent.WorkerHeartbeat b && b.runIds().contains("c")));
    assertThat(worker.runningCount()).isEqualTo(2);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .filter(e -> e instanceof JobEvent.JobFinished).count() == 3);
  }
}
