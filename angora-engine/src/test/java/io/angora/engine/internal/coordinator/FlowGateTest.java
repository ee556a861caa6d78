package io.angora.engine.internal.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.FlowControl;
import io.angora.api.Job;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.TaskDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate alone, on a clock of its own: order, limits, rates, skips and what it says. */
class FlowGateTest {
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private final FlowGate gate = new FlowGate();
  private int sequence;

  private Job queue(TaskDefinition task, Instant at) {
    String id = String.format("%014x-%06x", at.toEpochMilli() * 1000, sequence++);
    Message message = new Message("m-" + id, task.triggers().get(0), null, "wf", null, null, at);
    Run run = Run.queued(id, task.name(), message, 1, at);
    Job job = new Job(id, task, message, 1);
    gate.enqueue(run, job);
    return job;
  }

  private static TaskDefinition.Builder task(String name) {
    return TaskDefinition.builder(name).triggers(name).command("true");
  }

  @Test
  void aConcurrencyLimitLetsThroughOnlySoManyAndTheNextOnRelease() {
    TaskDefinition serial = task("serial").concurrency(1).build();
    Job first = queue(serial, T0);
    Job second = queue(serial, T0.plusMillis(1));

    assertThat(gate.admit(T0)).containsExactly(first);
    assertThat(gate.isWaiting(second.runId())).isTrue();
    assertThat(gate.hold(serial, T0)).contains("concurrency limit reached: 1 of 1 running");

    assertThat(gate.release(first.runId())).isTrue();
    assertThat(gate.admit(T0)).containsExactly(second);
    assertThat(gate.release("unknown")).isFalse();
  }

  @Test
  void higherPriorityFirstThenOldestAcrossTheTasksOfAGroup() {
    TaskDefinition low = task("low").concurrencyGroup("g", 1).priority(1).build();
    TaskDefinition high = task("high").concurrencyGroup("g", 1).priority(8).build();
    Job blocker = queue(low, T0);
    assertThat(gate.admit(T0)).containsExactly(blocker);
    Job lowOld = queue(low, T0.plusMillis(1));
    Job lowNew = queue(low, T0.plusMillis(2));
    Job highJob = queue(high, T0.plusMillis(3));
    assertThat(gate.hold(high, T0)).contains("concurrency group g full: 1 of 1 running");

    List<Job> order = new java.util.ArrayList<>();
    String running = blocker.runId();
    for (int i = 0; i < 3; i++) {
      gate.release(running);
      List<Job> admitted = gate.admit(T0);
      assertThat(admitted).hasSize(1);
      order.add(admitted.get(0));
      running = admitted.get(0).runId();
    }
    assertThat(order).containsExactly(highJob, lowOld, lowNew);
  }

  @Test
  void aRunHeldByItsOwnLimitDoesNotHoldBackAnotherTasksRun() {
    TaskDefinition busy = task("busy").concurrency(1).priority(9).build();
    TaskDefinition free = task("free").concurrency(1).build();
    Job running = queue(busy, T0);
    assertThat(gate.admit(T0)).containsExactly(running);
    queue(busy, T0.plusMillis(1));
    Job other = queue(free, T0.plusMillis(2));
    assertThat(gate.admit(T0)).containsExactly(other);
  }

  @Test
  void aRateIsASlidingWindowOverAdmissions() {
    TaskDefinition mail = task("mail").rate(2, Duration.ofSeconds(1)).build();
    Job a = queue(mail, T0);
    Job b = queue(mail, T0);
    Job c = queue(mail, T0);
    assertThat(gate.admit(T0)).containsExactly(a, b);
    assertThat(gate.hold(mail, T0.plusMillis(10))).hasValueSatisfying(why -> assertThat(why)
        .contains("rate 2/s used", "next start at " + T0.plusSeconds(1)));
    assertThat(gate.nextRateOpening(T0.plusMillis(10))).contains(T0.plusSeconds(1));
    assertThat(gate.admit(T0.plusMillis(999))).isEmpty();
    assertThat(gate.admit(T0.plusSeconds(1))).containsExactly(c);
    // Finished runs do not give their start back: the window counts starts.
    gate.release(a.runId());
    gate.release(c.runId());
    Job d = queue(mail, T0.plusMillis(1500));
    assertThat(gate.admit(T0.plusMillis(1500))).containsExactly(d);
    assertThat(gate.hold(mail, T0.plusMillis(1600))).isPresent();
    assertThat(gate.hold(mail, T0.plusMillis(2001))).isEmpty();
  }

  @Test
  void overflowSkipSaysSoOnlyWhenAConcurrencyLimitIsReached() {
    TaskDefinition sync = task("sync").concurrency(1)
        .overflow(FlowControl.Overflow.SKIP).build();
    assertThat(gate.skip(sync)).isEmpty();
    Job first = queue(sync, T0);
    assertThat(gate.admit(T0)).containsExactly(first);
    assertThat(gate.skip(sync)).hasValueSatisfying(why -> assertThat(why)
        .contains("1 of 1 running", "overflow: skip"));
    assertThat(gate.hold(sync, T0)).hasValueSatisfying(why -> assertThat(why)
        .contains("would be skipped"));
  }

  @Test
  void aWaitingRunFoundRunningCountsAndLeavesTheLine() {
    TaskDefinition serial = task("serial").concurrency(1).build();
    Job waiting = queue(serial, T0);
    gate.running(waiting.runId(), serial, T0);
    assertThat(gate.isWaiting(waiting.runId())).isFalse();
    assertThat(gate.isActive(waiting.runId())).isTrue();
    Job next = queue(serial, T0.plusMillis(1));
    assertThat(gate.admit(T0)).isEmpty();
    gate.release(waiting.runId());
    assertThat(gate.admit(T0)).containsExactly(next);
  }

  @Test
  void aCancelledWaitingRunLeavesTheLine() {
    TaskDefinition serial = task("serial").concurrency(1).build();
    Job running = queue(serial, T0);
    gate.admit(T0);
    Job cancelled = queue(serial, T0.plusMillis(1));
    Job next = queue(serial, T0.plusMillis(2));
    assertThat(gate.hold(serial, T0)).isPresent();
    assertThat(gate.release(cancelled.runId())).isTrue();
    assertThat(gate.waitingCount()).isEqualTo(1);
    gate.release(running.runId());
    assertThat(gate.admit(T0)).containsExactly(next);
    assertThat(gate.hold(serial, T0)).isPresent();
  }

  @Test
  void aRunEnqueuedTwiceIsCountedOnce() {
    TaskDefinition serial = task("serial").concurrency(2).build();
    Job job = queue(serial, T0);
    Run again = Run.queued(job.runId(), "serial", job.message(), 1, T0);
    gate.enqueue(again, job);
    assertThat(gate.waitingCount()).isEqualTo(1);
    assertThat(gate.admit(T0)).containsExactly(job);
    gate.enqueue(again, job);
    assertThat(gate.waitingCount()).isZero();
  }
}
