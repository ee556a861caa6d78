package io.angora.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.tck.RunFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * When a flush completes: only once every write accepted before it is committed, including a
 * write to a run changed after its batch was taken, whatever order the batches are written in.
 */
class PendingWritesTest {
  private final RunFixtures fixtures = new RunFixtures();
  private final PendingWrites pending = new PendingWrites(100);

  @Test
  void aFlushWaitsForAChangeMadeAfterItsRunWasTaken() throws Exception {
    Run queued = fixtures.queued("t", "wf");
    pending.insertRun(queued);
    PendingWrites.Batch first = pending.take(10, Duration.ZERO);
    Run started = queued.started("w1", Instant.now());
    pending.putRun(started);
    CompletableFuture<Void> flush = pending.flush();

    pending.written(first);
    assertThat(flush).isNotDone();
    assertThat(pending.run(queued.id())).isNotNull();

    PendingWrites.Batch second = pending.take(10, Duration.ZERO);
    assertThat(second.runs()).extracting(e -> e.value().status())
        .containsExactly(RunStatus.RUNNING);
    pending.written(second);
    assertThat(flush).isCompleted();
    assertThat(pending.size()).isZero();
  }

  @Test
  void aFlushWaitsForTheOldestWriteWhateverIsCommittedFirst() throws Exception {
    Run a = fixtures.queued("t", "wf-a");
    pending.insertRun(a);
    PendingWrites.Batch withA = pending.take(10, Duration.ZERO);
    Run b = fixtures.queued("t", "wf-b");
    pending.insertRun(b);
    CompletableFuture<Void> before = pending.flush();
    PendingWrites.Batch withB = new PendingWrites.Batch(
        java.util.List.of(java.util.Objects.requireNonNull(pending.run(b.id()))),
        java.util.List.of(), java.util.Map.of());

    pending.written(withB);
    assertThat(before).isNotDone();
    pending.written(withA);
    assertThat(before).isCompleted();
    assertThat(pending.flush()).isCompleted();
  }

  @Test
  void aRefusedWriteCompletesItsFlushExceptionallyAndLaterFlushesNormally() throws Exception {
    pending.insertRun(fixtures.queued("t", "wf"));
    PendingWrites.Batch batch = pending.take(10, Duration.ZERO);
    CompletableFuture<Void> flush = pending.flush();
    pending.refused(batch, "run x: too big");
    assertThat(flush).isCompletedExceptionally();

    pending.insertRun(fixtures.queued("t", "wf-2"));
    CompletableFuture<Void> next = pending.flush();
    pending.written(pending.take(10, Duration.ZERO));
    assertThat(next).isCompleted();
  }
}
