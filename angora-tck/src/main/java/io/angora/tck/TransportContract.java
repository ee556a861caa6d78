package io.angora.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.OutputChunk;
import io.angora.api.RunStatus;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import io.angora.api.Transport;
import io.angora.api.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Transport} must do, whatever carries the items. Extend it once per
 * implementation and provide {@link #newTransport()}; override {@link #peer(Transport)} when a
 * second connection to the same queues is possible (another process would use one).
 *
 * <p>Waiting is done with timeouts on blocking queues, never with bare sleeps. Checks that
 * something does NOT arrive wait {@link #quietPeriod()}.
 */
public abstract class TransportContract {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  /** The transport under test, fresh for each test. */
  protected Transport transport;

  /** A fresh transport on empty channels, isolated from every other test. */
  protected abstract Transport newTransport();

  /**
   * Another handle on the same channels as {@code transport}, as another process would have.
   * Default: the transport itself.
   *
   * @param first a transport from {@link #newTransport()}
   * @return a transport sharing its queues
   */
  protected Transport peer(Transport first) {
    return first;
  }

  /** How long to wait for an item that must arrive. */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** How long to watch for an item that must not arrive. */
  protected Duration quietPeriod() {
    return Duration.ofMillis(500);
  }

  /** Opens the transport under test. */
  @BeforeEach
  public void openTransport() {
    transport = newTransport();
    toClose.add(transport);
  }

  /** Closes what the test opened, newest first. */
  @AfterEach
  public void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    toClose.clear();
  }

  /** Closes {@code resource} after the test (in reverse order of registration). */
  protected <T extends AutoCloseable> T closeLater(T resource) {
    toClose.add(resource);
    return resource;
  }

  /** Every field of a message, null or not, arrives as sent; a message waits for its consumer. */
  @Test
  public void messageRoundTripKeepsEveryField() throws Exception {
    Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Message full = new Message("m-1", "example.step.1", "payload \"quoted\" é ✓ \n line",
        "wf-1", "run-0", "step_1", sentAt);
    Message bare = new Message("m-2", "example.step.2", null, "wf-2", null, null, sentAt);
    confirmed(transport.send(full));
    confirmed(transport.send(bare));

    BlockingQueue<Delivery<Message>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeMessages(received::add));

    Delivery<Message> first = take(received);
    Delivery<Message> second = take(received);
    assertThat(List.of(first.body(), second.body())).containsExactlyInAnyOrder(full, bare);
    assertThat(first.redelivered()).isFalse();
    first.ack();
    second.ack();
    assertThat(poll(received)).isNull();
  }

  /** A job arrives with its whole task definition. */
  @Test
  public void jobRoundTripKeepsTheWholeTask() throws Exception {
    TaskDefinition task = TaskDefinition.builder("step_1").triggers("example.step.1", "x.*.#")
        .command("echo \"HELLO\" $HOME").log("$HOME/angora/logs/").messages("example.step.2")
        .replay(3).parentSuccess(true).timeout(Duration.ofMinutes(10))
        .env("KEY", "value with spaces").origin("tasks/demo.yml:12").build();
    TaskDefinition minimal = TaskDefinition.builder("min").triggers("t").command("true").build();
    Message message = new Message("m-1", "example.step.1", "p", "wf-1", "run-0", null,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
    Job job = new Job("run-1", task, message, 2);
    Job other = new Job("run-2", minimal, message, 1);
    confirmed(transport.dispatch(job));
    confirmed(transport.dispatch(other));

    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeJobs(2, received::add));

    Delivery<Job> a = take(received);
    Delivery<Job> b = take(received);
    assertThat(List.of(a.body(), b.body())).containsExactlyInAnyOrder(job, other);
    a.ack();
    b.ack();
  }

  /** A job consumer never holds more unsettled jobs than its concurrency. */
  @Test
  public void jobConsumerNeverHoldsMoreThanItsConcurrency() throws Exception {
    int total = 10;
    for (int i = 0; i < total; i++) {
      confirmed(transport.dispatch(job("run-" + i)));
    }
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeJobs(3, d -> {
      most.accumulateAndGet(holding.incrementAndGet(), Math::max);
      received.add(d);
    }));

    List<Delivery<Job>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(take(received));
    }
    assertThat(poll(received)).as("a 4th job while 3 are unsettled").isNull();
    holding.decrementAndGet();
    held.remove(0).ack();
    held.add(take(received));
    assertThat(poll(received)).as("another job before a second settle").isNull();

    int settled = 1;
    while (!held.isEmpty()) {
      holding.decrementAndGet();
      held.remove(0).ack();
      settled++;
      if (settled + held.size() < total) {
        held.add(take(received));
      }
    }
    assertThat(settled).isEqualTo(total);
    assertThat(poll(received)).isNull();
    assertThat(most.get()).isEqualTo(3);
  }

  /** A requeued job is delivered again, marked redelivered. */
  @Test
  public void requeuedJobComesBackMarkedRedelivered() throws Exception {
    confirmed(transport.dispatch(job("run-1")));
    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeJobs(1, received::add));

    Delivery<Job> first = take(received);
    assertThat(first.redelivered()).isFalse();
    first.requeue();

    Delivery<Job> again = take(received);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.redelivered()).isTrue();
    again.ack();
    assertThat(poll(received)).isNull();
  }

  /** A rejected job is never delivered again. */
  @Test
  public void rejectedJobIsNeverDeliveredAgain() throws Exception {
    confirmed(transport.dispatch(job("run-bad")));
    confirmed(transport.dispatch(job("run-good")));
    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeJobs(1, received::add));

    Delivery<Job> bad = take(received);
    assertThat(bad.body().runId()).isEqualTo("run-bad");
    bad.reject("contract test rejects it");
    Delivery<Job> good = take(received);
    assertThat(good.body().runId()).isEqualTo("run-good");
    good.ack();
    assertThat(poll(received)).isNull();
  }

  /** A delivery can be settled from a thread other than the consumer's. */
  @Test
  public void settlingFromAnotherThreadWorks() throws Exception {
    confirmed(transport.dispatch(job("run-1")));
    confirmed(transport.dispatch(job("run-2")));
    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeJobs(1, received::add));

    Delivery<Job> first = take(received);
    Thread settler = new Thread(first::ack, "contract-settler");
    settler.start();
    settler.join(timeout().toMillis());
    Delivery<Job> second = take(received);
    assertThat(second.body().runId()).isEqualTo("run-2");
    second.ack();
  }

  /** Started, finished and heartbeat events arrive as sent. */
  @Test
  public void everyKindOfEventRoundTrips() throws Exception {
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<JobEvent> events = List.of(
        new JobEvent.JobStarted("run-1", "step_1", "worker-a", t0),
        new JobEvent.JobFinished("run-1", "step_1", RunStatus.SUCCEEDED, 0, null, "HELLO\n",
            "worker-a", t0, t0.plusMillis(1500)),
        new JobEvent.JobFinished("run-2", "step_2", RunStatus.TIMED_OUT, null,
            "timed out after PT1S", "tail \u0001 \"x\"", "worker-b", t0, t0.plusSeconds(1)),
        new JobEvent.WorkerHeartbeat("worker-a", "host-1", 4, List.of("run-3", "run-4"), t0),
        new JobEvent.WorkerHeartbeat("worker-b", "host-2", 1, List.of(), t0),
        new JobEvent.JobOutput("run-3", "step_3", List.of(
            new OutputChunk(OutputChunk.Stream.STDOUT, 0, "first\n\u00e9".getBytes(UTF_8)),
            new OutputChunk(OutputChunk.Stream.STDERR, 9, new byte[] {(byte) 0xe2, (byte) 0x82})),
            "worker-a", t0));
    for (JobEvent e : events) {
      confirmed(transport.report(e));
    }

    BlockingQueue<Delivery<JobEvent>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeEvents(received::add));
    List<JobEvent> got = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Delivery<JobEvent> d = take(received);
      got.add(d.body());
      d.ack();
    }
    assertThat(got).containsExactlyInAnyOrderElementsOf(events);
  }

  /** A cancellation reaches every cancellation consumer, on any handle. */
  @Test
  public void cancellationReachesEveryCancellationConsumer() throws Exception {
    BlockingQueue<String> one = new LinkedBlockingQueue<>();
    BlockingQueue<String> two = new LinkedBlockingQueue<>();
    closeLater(transport.consumeCancellations(one::add));
    Transport other = peer(transport);
    if (other != transport) {
      closeLater(other);
    }
    closeLater(other.consumeCancellations(two::add));

    confirmed(transport.cancel("run-42"));

    assertThat(take(one)).isEqualTo("run-42");
    assertThat(take(two)).isEqualTo("run-42");
  }

  /** A closed subscription gets nothing; the item waits for the next consumer. */
  @Test
  public void closedSubscriptionGetsNothingAndTheItemWaitsForTheNextConsumer() throws Exception {
    BlockingQueue<Delivery<Message>> first = new LinkedBlockingQueue<>();
    Subscription subscription = transport.consumeMessages(first::add);
    subscription.close();
    subscription.close(); // idempotent

    confirmed(transport.send(message("after.close")));
    assertThat(poll(first)).isNull();

    BlockingQueue<Delivery<Message>> second = new LinkedBlockingQueue<>();
    closeLater(transport.consumeMessages(second::add));
    Delivery<Message> d = take(second);
    assertThat(d.body().text()).isEqualTo("after.close");
    d.ack();
  }

  /** An item published on one handle is consumed on another. */
  @Test
  public void itemsWaitForAConsumerOnAnotherHandle() throws Exception {
    Transport other = peer(transport);
    if (other != transport) {
      closeLater(other);
    }
    confirmed(transport.dispatch(job("run-1")));
    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    closeLater(other.consumeJobs(1, received::add));
    Delivery<Job> d = take(received);
    assertThat(d.body().runId()).isEqualTo("run-1");
    d.ack();
  }

  /**
   * Jobs waiting for a consumer go out higher task priority first, in publication order among
   * equal priorities.
   */
  @Test
  public void waitingJobsGoOutHigherPriorityFirst() throws Exception {
    int[] priorities = {0, 5, 9, 5, 1};
    for (int i = 0; i < priorities.length; i++) {
      TaskDefinition task = TaskDefinition.builder("t").triggers("go").command("true")
          .priority(priorities[i]).build();
      confirmed(transport.dispatch(new Job("run-" + i, task, message("go"), 1)));
    }
    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    closeLater(transport.consumeJobs(1, received::add));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < priorities.length; i++) {
      Delivery<Job> d = take(received);
      order.add(d.body().runId());
      d.ack();
    }
    assertThat(order).containsExactly("run-2", "run-1", "run-3", "run-4", "run-0");
  }

  /** After close, every publication fails with a TransportException. */
  @Test
  public void publishingAfterCloseFailsWithTransportException() {
    transport.close();
    transport.close(); // idempotent

    failsWithTransportException(() -> transport.send(message("too.late")));
    failsWithTransportException(() -> transport.dispatch(job("run-late")));
    failsWithTransportException(() -> transport.report(
        new JobEvent.JobStarted("run-late", "t", "w", Instant.now())));
    failsWithTransportException(() -> transport.cancel("run-late"));
  }

  /** A message with fresh ids. */
  protected static Message message(String text) {
    return new Message("m-" + System.nanoTime(), text, null, "wf-" + System.nanoTime(), null,
        null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** A job of a trivial task. */
  protected static Job job(String runId) {
    TaskDefinition task = TaskDefinition.builder("t").triggers("go").command("true").build();
    return new Job(runId, task, message("go"), 1);
  }

  /** Waits for a publication to be accepted; fails the test otherwise. */
  protected void confirmed(CompletableFuture<Void> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes the next item, failing the test when none arrives in time. */
  protected <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
    assertThat(item).as("an item within " + timeout()).isNotNull();
    return item;
  }

  /** The next item within the quiet period, or null. */
  protected <T> @Nullable T poll(BlockingQueue<T> queue) throws InterruptedException {
    return queue.poll(quietPeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asserts that the publication's future fails with a {@link TransportException}. */
  protected void failsWithTransportException(Supplier<CompletableFuture<Void>> publication) {
    CompletableFuture<Void> future = publication.get();
    assertThatCode(() -> future.get(timeout().toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TransportException.class);
  }
}
