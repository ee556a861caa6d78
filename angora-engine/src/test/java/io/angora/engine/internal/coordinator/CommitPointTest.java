package io.angora.engine.internal.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.StoreException;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import io.angora.api.Transport;
import io.angora.engine.InMemoryRunStore;
import io.angora.tck.ForwardingRunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's commit points: a delivery is acked only once its writes are flushed and its
 * publications confirmed; a failure gives it back instead of acking or dead-lettering it; a
 * delivery handled again (after a crash) queues no run twice and loses no follow-up.
 */
class CommitPointTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Short, so that suspect QUEUED runs are dispatched again within the test. */
  private static final Duration LEASE = Duration.ofMillis(300);
  private static final TaskDefinition BUILD = TaskDefinition.builder("build")
      .triggers("code.pushed").command("true").messages("built.a", "built.b").build();
  private static final TaskDefinition TEST = TaskDefinition.builder("test")
      .triggers("code.pushed").command("true").build();

  private final Clock clock = Clock.systemUTC();
  private final HeldStore store = new HeldStore();
  private final CapturingTransport transport = new CapturingTransport();
  private Coordinator coordinator;

  @AfterEach
  void close() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  private Coordinator start() {
    coordinator = new Coordinator(TaskSource.of(List.of(BUILD, TEST)), transport, store, clock,
        new Listeners(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)),
        Duration.ofSeconds(30), LEASE);
    coordinator.start();
    return coordinator;
  }

  private static Message pushed(String id) {
    return new Message(id, "code.pushed", null, id, null, null,
        Instant.parse("2026-12-01T10:00:00Z"));
  }

  @Test
  void aMessageIsAckedOnlyAfterItsRunsAreFlushedAndTheirJobsConfirmed() {
    start();
    CompletableFuture<Void> flushed = store.holdFlushes();
    TestDelivery<Message> delivery = transport.deliverMessage(pushed("m1"), false);

    // Recorded, but neither published nor acked before the flush.
    assertThat(store.unfinished()).hasSize(2);
    assertThat(transport.jobs).isEmpty();
    assertThat(delivery.settlement()).isNull();

    flushed.complete(null);
    await().atMost(WAIT).until(() -> transport.jobs.size() == 2);
    assertThat(delivery.settlement()).isNull(); // jobs not yet confirmed
    transport.confirmJobs();
    await().atMost(WAIT).until(() -> "ack".equals(delivery.settlement()));
  }

  @Test
  void aJobTheBrokerRefusesGivesTheMessageBackAndTheRunIsDispatchedAgain() {
    start();
    TestDelivery<Message> first = transport.deliverMessage(pushed("m2"), false);
    await().atMost(WAIT).until(() -> transport.jobs.size() == 2);
    transport.failJobs();
    await().atMost(WAIT).until(() -> "requeue".equals(first.settlement()));
    assertThat(store.unfinished()).extracting(Run::status)
        .containsOnly(RunStatus.QUEUED); // not failed, not lost

    // The redelivery queues nothing new; the suspect runs are dispatched again once the
    // reconciliation finds them not in flight.
    TestDelivery<Message> again = transport.deliverMessage(pushed("m2"), true);
    await().atMost(WAIT).until(() -> transport.jobs.size() == 4);
    transport.confirmJobs();
    await().atMost(WAIT).until(() -> "ack".equals(again.settlement()));
    // Same run ids: the redelivery queued nothing new.
    assertThat(store.unfinished()).hasSize(2);
    assertThat(transport.jobs.subList(2, 4)).extracting(Job::runId)
        .containsExactlyInAnyOrderElementsOf(
            transport.jobs.subList(0, 2).stream().map(Job::runId).toList());
  }

  @Test
  void aMessageHandledAgainAfterACrashQueuesNoRunTwice() {
    start();
    TestDelivery<Message> first = transport.deliverMessage(pushed("m3"), false);
    await().atMost(WAIT).until(() -> transport.jobs.size() == 2);
    transport.confirmJobs();
    await().atMost(WAIT).until(() -> "ack".equals(first.settlement()));

    // A second copy (a follow-up sent again) in the same process: looked up, nothing queued.
    TestDelivery<Message> copy = transport.deliverMessage(pushed("m3"), false);
    await().atMost(WAIT).until(() -> "ack".equals(copy.settlement()));
    assertThat(transport.jobs).hasSize(2);

    // A new coordinator over the same store (the first one was killed before acking).
    coordinator.close();
    CapturingTransport restarted = new CapturingTransport();
    coordinator = new Coordinator(TaskSource.of(List.of(BUILD, TEST)), restarted, store, clock,
        new Listeners(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)),
        Duration.ofSeconds(30), LEASE);
    coordinator.start();
    TestDelivery<Message> redelivered = restarted.deliverMessage(pushed("m3"), true);
    // Its runs are QUEUED in the store: their jobs may not have been published, so they are
    // dispatched again (by the reconciliation of suspect runs), under the same ids.
    await().atMost(WAIT).until(() -> restarted.jobs.size() == 2);
    restarted.confirmJobs();
    await().atMost(WAIT).until(() -> "ack".equals(redelivered.settlement()));
    assertThat(restarted.jobs).extracting(Job::runId)
        .containsExactlyInAnyOrderElementsOf(transport.jobs.stream().map(Job::runId).toList());
    assertThat(store.unfinished()).hasSize(2);
  }

  @Test
  void aRedeliveryWithANewSendTimeAndWorkflowIdIsTheMessageFirstRecorded() {
    // A plain AMQP client's message with an id but no send time nor workflow id: the transport
    // gives it the clock's time and a new workflow id at each delivery.
    start();
    Message first = new Message("m4", "code.pushed", null, "wf-1", null, null,
        Instant.parse("2026-12-01T10:00:00Z"));
    TestDelivery<Message> delivery = transport.deliverMessage(first, false);
    await().atMost(WAIT).until(() -> transport.jobs.size() == 2);
    transport.confirmJobs();
    await().atMost(WAIT).until(() -> "ack".equals(delivery.settlement()));

    Message later = new Message("m4", "code.pushed", null, "wf-2", null, null,
        Instant.parse("2026-12-01T10:00:07Z"));
    TestDelivery<Message> again = transport.deliverMessage(later, true);
    await().atMost(WAIT).until(() -> "ack".equals(again.settlement()));
    assertThat(transport.jobs).hasSize(2);
    assertThat(store.unfinished()).hasSize(2).extracting(Run::workflowId).containsOnly("wf-1");
    assertThat(store.findMessage("m4")).contains(first);
  }

  @Test
  void anOutcomeIsAckedAfterItsFollowUpsAreConfirmedAndARedeliveryResendsOnlyTheMissingOnes() {
    start();
    TestDelivery<Message> message = transport.deliverMessage(pushed("m4"), false);
    await().atMost(WAIT).until(() -> transport.jobs.size() == 2);
    transport.confirmJobs();
    await().atMost(WAIT).until(() -> "ack".equals(message.settlement()));
    Job build = transport.jobs.stream().filter(j -> j.task().name().equals("build"))
        .findFirst().orElseThrow();

    JobEvent.JobFinished done = new JobEvent.JobFinished(build.runId(), "build",
        RunStatus.SUCCEEDED, 0, null, "", "w1", clock.instant(), clock.instant());
    TestDelivery<JobEvent> outcome = transport.deliverEvent(done, false);
    await().atMost(WAIT).until(() -> transport.sent.size() == 2);
    assertThat(outcome.settlement()).isNull();
    assertThat(transport.sent).extracting(Message::id).containsExactly(
        Ids.followUp(build.runId(), 0), Ids.followUp(build.runId(), 1));
    // The second follow-up is refused: the outcome goes back, unacked.
    transport.confirmSent(0);
    transport.failSent(1);
    await().atMost(WAIT).until(() -> "requeue".equals(outcome.settlement()));
    // The first follow-up arrived and was recorded; the second did not.
    store.recordMessage(transport.sent.get(0));

    TestDelivery<JobEvent> again = transport.deliverEvent(done, true);
    await().atMost(WAIT).until(() -> transport.sent.size() == 3);
    assertThat(transport.sent.get(2).id()).isEqualTo(Ids.followUp(build.runId(), 1));
    transport.confirmSent(2);
    await().atMost(WAIT).until(() -> "ack".equals(again.settlement()));
    assertThat(store.find(build.runId())).map(Run::status).contains(RunStatus.SUCCEEDED);
  }

  @Test
  void whileTheStoreCannotBeReadADeliveryWaitsAndIsNeitherAckedNorDeadLettered()
      throws Exception {
    start();
    store.failReads.set(true);
    AtomicReference<TestDelivery<Message>> delivery = new AtomicReference<>();
    Thread consumer = new Thread(
        () -> delivery.set(transport.deliverMessage(pushed("m5"), true)));
    consumer.start();
    await().atMost(WAIT).until(() -> store.failedReads.get() >= 3);
    assertThat(consumer.isAlive()).isTrue(); // held: the broker keeps the message
    store.failReads.set(false);
    consumer.join(WAIT.toMillis());
    await().atMost(WAIT).until(() -> transport.jobs.size() == 2);
    transport.confirmJobs();
    await().atMost(WAIT).until(() -> "ack".equals(delivery.get().settlement()));
    assertThat(store.unfinished()).hasSize(2);
  }

  /** The in-memory store, with flushes that can be held and reads that can fail. */
  private static final class HeldStore extends ForwardingRunStore {
    final AtomicReference<CompletableFuture<Void>> held = new AtomicReference<>();
    final AtomicBoolean failReads = new AtomicBoolean();
    final AtomicInteger failedReads = new AtomicInteger();

    HeldStore() {
      super(new InMemoryRunStore());
    }

    CompletableFuture<Void> holdFlushes() {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      held.set(gate);
      return gate;
    }

    @Override
    public CompletableFuture<Void> flush() {
      CompletableFuture<Void> gate = held.get();
      return gate == null ? CompletableFuture.completedFuture(null) : gate;
    }

    @Override
    public Optional<Run> find(String runId) {
      if (failReads.get()) {
        failedReads.incrementAndGet();
        throw new StoreException("database away");
      }
      return super.find(runId);
    }
  }

  /** A delivery that records how it was settled. */
  static final class TestDelivery<T> implements Delivery<T> {
    private final T body;
    private final boolean redelivered;
    private final AtomicReference<String> settled = new AtomicReference<>();

    TestDelivery(T body, boolean redelivered) {
      this.body = body;
      this.redelivered = redelivered;
    }

    String settlement() {
      return settled.get();
    }

    @Override
    public T body() {
      return body;
    }

    @Override
    public boolean redelivered() {
      return redelivered;
    }

    @Override
    public void ack() {
      settle("ack");
    }

    @Override
    public void reject(String reason) {
      settle("reject");
    }

    @Override
    public void requeue() {
      settle("requeue");
    }

    private void settle(String how) {
      if (!settled.compareAndSet(null, how)) {
        throw new AssertionError("settled twice: " + settled.get() + ", then " + how);
      }
    }
  }

  /** A transport whose publications are confirmed or refused by the test. */
  private static final class CapturingTransport implements Transport {
    final List<Job> jobs = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> jobConfirms = new CopyOnWriteArrayList<>();
    final List<Message> sent = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> sendConfirms = new CopyOnWriteArrayList<>();
    Consumer<Delivery<Message>> messages;
    Consumer<Delivery<JobEvent>> events;

    TestDelivery<Message> deliverMessage(Message message, boolean redelivered) {
      TestDelivery<Message> d = new TestDelivery<>(message, redelivered);
      messages.accept(d);
      return d;
    }

    TestDelivery<JobEvent> deliverEvent(JobEvent event, boolean redelivered) {
      TestDelivery<JobEvent> d = new TestDelivery<>(event, redelivered);
      events.accept(d);
      return d;
    }

    void confirmJobs() {
      jobConfirms.forEach(f -> f.complete(null));
    }

    void failJobs() {
      jobConfirms.forEach(f -> f.completeExceptionally(
          new io.angora.api.TransportException("nacked")));
    }

    void confirmSent(int index) {
      sendConfirms.get(index).complete(null);
    }

    void failSent(int index) {
      sendConfirms.get(index).completeExceptionally(
          new io.angora.api.TransportException("nacked"));
    }

    @Override
    public CompletableFuture<Void> send(Message message) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      sendConfirms.add(f);
      sent.add(message);
      return f;
    }

    @Override
    public CompletableFuture<Void> dispatch(Job job) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      jobConfirms.add(f);
      jobs.add(job);
      return f;
    }

    @Override
    public CompletableFuture<Void> report(JobEvent event) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription consumeMessages(Consumer<Delivery<Message>> handler) {
      messages = handler;
      return () -> { };
    }

    @Override
    public Subscription consumeJobs(int concurrency, Consumer<Delivery<Job>> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Subscription consumeEvents(Consumer<Delivery<JobEvent>> handler) {
      events = handler;
      return () -> { };
    }

    @Override
    public CompletableFuture<Void> cancel(String runId) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription consumeCancellations(Consumer<String> handler) {
      return () -> { };
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public Map<String, Long> queueDepths() {
      return Map.of("start", 0L);
    }

    @Override
    public void close() {}
  }
}
