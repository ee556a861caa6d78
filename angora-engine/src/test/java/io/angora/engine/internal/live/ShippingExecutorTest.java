package io.angora.engine.internal.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Cancellation;
import io.angora.api.Executor;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.OutputChunk;
import io.angora.api.OutputDecoder;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.InMemoryTransport;
import io.angora.engine.ProcessExecutor;
import io.angora.tck.ForwardingTransport;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes, their live output shipped through a transport that records or stalls. */
class ShippingExecutorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ShippingLimits FAST = new ShippingLimits(Duration.ofMillis(100),
      4096, 16384, 8192);

  private final ProcessExecutor processes = ProcessExecutor.create();
  private final List<JobEvent.JobOutput> shipped = new CopyOnWriteArrayList<>();
  private boolean stalled;
  private final ForwardingTransport transport = new ForwardingTransport(new InMemoryTransport()) {
    @Override
    public CompletableFuture<Void> report(JobEvent event) {
      shipped.add((JobEvent.JobOutput) event);
      // stalled: the broker never confirms (it pushes back); else accepted at once
      return stalled ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
    }
  };

  @AfterEach
  void close() {
    processes.close();
    transport.close();
  }

  private static Job job(String command) {
    TaskDefinition task = TaskDefinition.builder("t").triggers("go").command(command).replay(0)
        .build();
    return new Job("run-" + System.nanoTime(), task,
        new Message("m", "go", null, "wf", null, null, Instant.now()), 1);
  }

  private CompletableFuture<JobEvent.JobFinished> run(Executor executor, Job job) {
    return CompletableFuture.supplyAsync(() -> executor.execute(job, "w", new Cancellation()));
  }

  private static String text(List<JobEvent.JobOutput> events) {
    OutputDecoder decoder = new OutputDecoder();
    StringBuilder all = new StringBuilder();
    events.forEach(e -> e.chunks().forEach(c -> all.append(decoder.decode(c))));
    return all.toString();
  }

  @Test
  void aJobEndingWithinTheStartReportDelayShipsNothing() throws Exception {
    Executor executor = ShippingExecutor.wrap(processes, transport, Clock.systemUTC(),
        Duration.ofSeconds(5), FAST);
    JobEvent.JobFinished done = run(executor, job("echo quick")).get();
    assertThat(done.output()).isEqualTo("quick\n");
    assertThat(shipped).isEmpty();
    ((ShippingExecutor) executor).close();
  }

  @Test
  void aLongerJobsOutputIsShippedWhileItRunsAndAllOfItBeforeItsOutcome() throws Exception {
    Executor executor = ShippingExecutor.wrap(processes, transport, Clock.systemUTC(),
        Duration.ZERO, FAST);
    CompletableFuture<JobEvent.JobFinished> running =
        run(executor, job("sh -c 'echo first; echo oops >&2; sleep 2; echo second'"));

    await().atMost(WAIT).until(() -> text(shipped).contains("oops"));
    assertThat(running).isNotDone();
    assertThat(text(shipped)).doesNotContain("second");

    assertThat(running.get().status()).isEqualTo(RunStatus.SUCCEEDED);
    // shipped before execute returned, hence before the worker reports the outcome
    assertThat(text(shipped)).isEqualTo("first\noops\nsecond\n");
    List<OutputChunk> chunks = shipped.stream().flatMap(e -> e.chunks().stream()).toList();
    assertThat(chunks).filteredOn(c -> c.stream() == OutputChunk.Stream.STDERR)
        .extracting(OutputChunk::text).containsExactly("oops\n");
    for (int i = 1; i < chunks.size(); i++) {
      assertThat(chunks.get(i).offset()).isEqualTo(chunks.get(i - 1).end());
    }
    assertThat(shipped).allMatch(e -> e.length() <= FAST.maxEventBytes());
    ((ShippingExecutor) executor).close();
  }

  @Test
  void aCharacterCutBetweenTwoShipmentsIsWholeWhenDecoded() throws Exception {
    Executor executor = ShippingExecutor.wrap(processes, transport, Clock.systemUTC(),
        Duration.ZERO, FAST);
    // € is e2 82 ac: two of its bytes, a pause of several shipping intervals, the third
    CompletableFuture<JobEvent.JobFinished> running =
        run(executor, job("sh -c 'printf \"\\342\\202\"; sleep 1; printf \"\\254 done\\n\"'"));
    await().atMost(WAIT).until(() -> !shipped.isEmpty());
    assertThat(running).isNotDone();
    assertThat(shipped.get(0).chunks().get(0).bytes()).containsExactly(0xe2, 0x82);
    assertThat(shipped.get(0).chunks().get(0).text()).isEqualTo("\uFFFD"); // alone: garbled

    running.get();
    assertThat(shipped).hasSizeGreaterThan(1);
    assertThat(text(shipped)).isEqualTo("€ done\n");
    ((ShippingExecutor) executor).close();
  }

  @Test
  void aStalledTransportNeverHoldsTheJobBack() throws Exception {
    stalled = true;
    Executor executor = ShippingExecutor.wrap(processes, transport, Clock.systemUTC(),
        Duration.ZERO, FAST);
    // 4 MB written after shipping began: far more than may be in flight
    JobEvent.JobFinished done = run(executor, job("sh -c 'echo start; sleep 0.5; "
        + "head -c 4000000 /dev/zero | tr \"\\0\" x; echo; echo end'")).get();

    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.output()).endsWith("x\nend\n");
    long bytes = shipped.stream().mapToLong(JobEvent.JobOutput::length).sum();
    assertThat(bytes).isPositive().isLessThanOrEqualTo(FAST.maxInFlightBytes());
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    shipped.forEach(e -> e.chunks().forEach(c -> none.writeBytes(c.bytes())));
    assertThat(none.toString()).startsWith("start\n");
    ((ShippingExecutor) executor).close();
  }
}
