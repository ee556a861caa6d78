package io.angora.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.JobEvent;
import io.angora.api.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each outcome's future completes only with the publication that carries it. */
class OutcomeBatcherTest {
  private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<byte[]> singles = new CopyOnWriteArrayList<>();
  private final List<byte[]> batches = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> publications = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private OutcomeBatcher batcher(Duration window) {
    return new OutcomeBatcher(window, timer, body -> publish(singles, body),
        body -> publish(batches, body));
  }

  private CompletableFuture<Void> publish(List<byte[]> to, byte[] body) {
    to.add(body);
    CompletableFuture<Void> confirm = new CompletableFuture<>();
    publications.add(confirm);
    return confirm;
  }

  private static JobEvent.JobFinished outcome(String runId) {
    return new JobEvent.JobFinished(runId, "t", RunStatus.SUCCEEDED, 0, null, "", "w", T, T);
  }

  @Test
  void aFullBatchLeavesAtOnceAndItsFuturesWaitForTheConfirm() {
    OutcomeBatcher batcher = batcher(Duration.ofSeconds(1));
    batcher.flushAt(3);
    CompletableFuture<Void> a = batcher.report(outcome("a"));
    CompletableFuture<Void> b = batcher.report(outcome("b"));
    assertThat(batches).isEmpty();
    CompletableFuture<Void> c = batcher.report(outcome("c"));
    assertThat(batches).hasSize(1);
    assertThat(EventCodec.decodeAll(batches.get(0))).extracting(e -> ((JobEvent.JobFinished) e)
        .runId()).containsExactly("a", "b", "c");
    assertThat(List.of(a, b, c)).noneMatch(CompletableFuture::isDone);
    publications.get(0).complete(null);
    assertThat(List.of(a, b, c)).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
  }

  @Test
  void theWindowEndsABatchAndALoneOutcomeIsAPlainEvent() {
    OutcomeBatcher batcher = batcher(Duration.ofMillis(20));
    CompletableFuture<Void> a = batcher.report(outcome("a"));
    await().atMost(Duration.ofSeconds(5)).until(() -> singles.size() == 1);
    assertThat(EventCodec.decode(singles.get(0))).isEqualTo(outcome("a"));
    assertThat(batches).isEmpty();
    assertThat(a).isNotDone();
    publications.get(0).complete(null);
    assertThat(a).isCompleted();
  }

  @Test
  void aRefusedPublicationFailsEveryOutcomeInIt() {
    OutcomeBatcher batcher = batcher(Duration.ofSeconds(1));
    batcher.flushAt(2);
    CompletableFuture<Void> a = batcher.report(outcome("a"));
    CompletableFuture<Void> b = batcher.report(outcome("b"));
    publications.get(0).completeExceptionally(new IllegalStateException("nacked"));
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
  }

  @Test
  void anOutcomeThatWouldTakeABatchPastItsSizeLimitLetsTheWaitingOnesGoFirst() {
    OutcomeBatcher batcher = batcher(Duration.ofSeconds(1));
    String big = "x".repeat(OutcomeBatcher.MAX_BATCH_BYTES / 2);
    batcher.report(outcome("a"));
    batcher.report(outcome("b"));
    batcher.report(new JobEvent.JobFinished("c", "t", RunStatus.SUCCEEDED, 0, null, big + big,
        "w", T, T));
    // a and b together; c alone (a lone outcome is never held back by the size rule)
    assertThat(batches).hasSize(1);
    assertThat(EventCodec.decodeAll(batches.get(0))).hasSize(2);
    assertThat(singles).hasSize(1);
    assertThat(singles.get(0).length).isGreaterThan(OutcomeBatcher.MAX_BATCH_BYTES);
    batcher.report(outcome("d"));
    batcher.report(new JobEvent.JobFinished("e", "t", RunStatus.SUCCEEDED, 0, null, big, "w", T,
        T));
    batcher.report(new JobEvent.JobFinished("f", "t", RunStatus.SUCCEEDED, 0, null, big, "w", T,
        T));
    // d and e fit together; f would take them past the limit
    assertThat(batches).hasSize(2);
    assertThat(batches).allMatch(b -> b.length <= OutcomeBatcher.MAX_BATCH_BYTES + 100);
  }

  @Test
  void closePublishesWhatWaitsAndZeroWindowPublishesAlone() {
    OutcomeBatcher batcher = batcher(Duration.ofSeconds(1));
    batcher.report(outcome("a"));
    batcher.report(outcome("b"));
    batcher.close();
    assertThat(batches).hasSize(1);
    batcher.report(outcome("c"));
    assertThat(singles).hasSize(1);
    OutcomeBatcher none = batcher(Duration.ZERO);
    none.report(outcome("d"));
    assertThat(singles).hasSize(2);
  }
}
