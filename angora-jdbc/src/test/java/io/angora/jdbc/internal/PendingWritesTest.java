package io.angora.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.tck.RunFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When a flush completes: only once every write accepted before it is committed, including a
 * write to a run changed after its batch was taken, whatever order the batches are written in.
 * When the writer takes a batch: writes no flush asks for wait for one, and a batch right after
 * one that completed several flushes waits for the spacing unless it is full.
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

  @Test
  @Timeout(30)
  void aWriteNoFlushAsksForWaitsForOneAndSharesItsBatch() throws Exception {
    Run started = fixtures.queued("t", "wf").started("w1", Instant.now());
    pending.putRun(started);
    Taker taker = new Taker(() -> pending.take(10, Duration.ZERO, Duration.ofMinutes(1),
        Duration.ZERO));
    taker.awaitWaiting();
    Run queued = fixtures.queued("t", "wf-2");
    pending.insertRun(queued);
    assertThat(taker.batch).isNotDone();

    CompletableFuture<Void> flush = pending.flush();
    PendingWrites.Batch batch = taker.awaitBatch();
    assertThat(batch.runs()).extracting(e -> e.value().id())
        .containsExactly(started.id(), queued.id());
    pending.written(batch);
    assertThat(flush).isCompleted();
  }

  @Test
  @Timeout(30)
  void aBatchRightAfterOneOfSeveralFlushesWaitsForTheSpacingUnlessItIsFull() throws Exception {
    Duration spacing = Duration.ofMinutes(1);
    pending.insertRun(fixtures.queued("t", "wf-a"));
    CompletableFuture<Void> first = pending.flush();
    pending.insertRun(fixtures.queued("t", "wf-b"));
    CompletableFuture<Void> alsoFirst = pending.flush();
    // Nothing was taken before: the first batch is taken at once.
    pending.written(pending.take(3, Duration.ZERO, Duration.ZERO, spacing));
    assertThat(first).isCompleted();
    assertThat(alsoFirst).isCompleted();

    pending.insertRun(fixtures.queued("t", "wf-1"));
    CompletableFuture<Void> second = pending.flush();
    Taker taker = new Taker(() -> pending.take(3, Duration.ZERO, Duration.ZERO, spacing));
    taker.awaitWaiting();
    assertThat(taker.batch).isNotDone();

    pending.insertRun(fixtures.queued("t", "wf-2"));
    pending.insertRun(fixtures.queued("t", "wf-3"));
    pending.written(taker.awaitBatch());
    assertThat(second).isCompleted();
    assertThat(pending.size()).isZero();
  }

  @Test
  @Timeout(30)
  void theFlushesOfOneThreadWaitingForEachInTurnAreNotSpaced() throws Exception {
    Duration spacing = Duration.ofMinutes(1);
    for (int i = 0; i < 3; i++) {
      pending.insertRun(fixtures.queued("t", "wf-" + i));
      CompletableFuture<Void> flush = pending.flush();
      pending.written(pending.take(3, Duration.ZERO, Duration.ZERO, spacing));
      assertThat(flush).isCompleted();
    }
  }

  /** Takes one batch on a thread of its own, as the writer does. */
  private static final class Taker {
    final CompletableFuture<PendingWrites.Batch> batch = new CompletableFuture<>();
    private final Thread thread;

    Taker(TakeCall take) {
      thread = new Thread(() -> {
        try {
          batch.complete(take.call());
        } catch (InterruptedException | RuntimeException e) {
          batch.completeExceptionally(e);
        }
      }, "test-writer");
      thread.setDaemon(true);
      thread.start();
    }

    /** The batch taken, once taken. */
    PendingWrites.Batch awaitBatch() throws Exception {
      return batch.get(10, TimeUnit.SECONDS);
    }

    /** Waits until the thread waits with a timeout: inside take, for writes or a flush. */
    void awaitWaiting() {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> thread.getState() == Thread.State.TIMED_WAITING || batch.isDone());
    }
  }

  @FunctionalInterface
  private interface TakeCall {
    PendingWrites.Batch call() throws InterruptedException;
  }
}
