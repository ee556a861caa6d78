package io.angora.engine.internal.coordinator;

import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.NotFoundException;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import io.angora.api.StoreException;
import io.angora.api.StoreHealth;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import io.angora.api.Transport;
import io.angora.engine.internal.triggers.TaskSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator role: matches messages to tasks, records runs, hands jobs to workers, records
 * their outcomes, sends follow-up messages and schedules replays. One per installation.
 * Thread-safe: run state changes are serialized on one lock, so an outcome, a cancel and a
 * replay of the same run never interleave.
 *
 * <p>Commit points: a delivery (a message, an outcome) is acknowledged only once what it caused
 * is durable: its store writes flushed, then the publications they imply (jobs, follow-up
 * messages) confirmed. A job or follow-up is published only after the state it follows from is
 * durable, so an outcome never refers to a run the store may lose (over a durable transport; in
 * memory, where nothing outlives the process, neither waits for the store: see
 * {@link #afterDurable}). Run ids, follow-up ids and
 * replay ids are deterministic ({@link Ids}), so a delivery handled again after a crash at any
 * point queues no run twice and loses no follow-up. While the store is away, reads on these
 * paths wait ({@link PatientReads}) and writes block at the store's bound: deliveries stay in
 * the broker, none is dead-lettered for it.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  private final TaskSource source;
  private final Transport transport;
  private final RunStore store;
  private final Clock clock;
  private final Ids ids;
  private final Listeners listeners;
  private final Replays replays;
  private final WorkerRegistry workers;
  private final Leases leases;
  private final @Nullable Reconciler reconciler;
  private final Object runLock = new Object();
  /**
   * The unfinished runs recorded by this coordinator, the store's only writer: outcomes look
   * them up here rather than reading them back from the store (a query per event for a database
   * store). Guarded by {@link #runLock}.
   */
  private final Map<String, Run> unfinishedRuns = new HashMap<>();
  private volatile TaskSet taskSet = TaskSet.of(List.of());
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
  private final PatientReads patient = new PatientReads();
  private final Commits commits = new Commits();
  private final RecentIds seen = new RecentIds();
  /** Concurrency limits, rates and priorities of limited tasks. Guarded by {@link #runLock}. */
  private final FlowGate gate = new FlowGate();
  /** Tries the gate again when a rate window opens. */
  private final FlowTimer flowTimer = new FlowTimer(this::admitWaiting);
  /** Set once intake stops: runs the gate lets through then are left QUEUED for the next start. */
  private volatile boolean stopping;
  /** Set once the subscriptions are made: messages are handled from then on. */
  private volatile boolean consuming;
  /** Where remote workers' live output goes; nowhere until {@link #liveOutput} sets it. */
  private volatile Consumer<JobEvent.JobOutput> liveOutput = output -> { };
  /** Publishes what follows from durable state, off the store's writer thread. */
  private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "angora-publish");
    t.setDaemon(true);
    return t;
  });

  /**
   * Creates a coordinator; {@link #start()} loads tasks and starts consuming.
   *
   * @param source where tasks come from
   * @param transport the transport
   * @param store the run store
   * @param clock the time source
   * @param listeners notified of runs and messages
   * @param backoff delays between replays
   * @param workerTimeout after how long without a heartbeat a worker counts as gone
   * @param leaseLength after how long without a heartbeat listing it a RUNNING run counts as
   *     interrupted (with a durable transport; in memory a worker cannot vanish alone)
   */
  public Coordinator(TaskSource source, Transport transport, RunStore store, Clock clock,
      Listeners listeners, Backoff backoff, Duration workerTimeout, Duration leaseLength) {
    this.source = source;
    this.transport = transport;
    this.store = store;
    this.clock = clock;
    this.ids = new Ids(clock);
    this.listeners = listeners;
    this.replays = new Replays(store, clock, backoff, this::fireReplay);
    this.workers = new WorkerRegistry(clock, workerTimeout);
    this.leases = new Leases(clock, leaseLength);
    this.reconciler = transport.durable()
        ? new Reconciler(leases, transport, this::leaseExpired, this::redispatch,
            this::connectionLost) : null;
  }

  /**
   * Loads the tasks, recovers what a previous process left, and starts consuming.
   *
   * @throws io.angora.api.TaskLoadException when the tasks do not load
   */
  public void start() {
    taskSet = TaskSet.of(source.load());
    recover();
    if (reconciler != null) {
      reconciler.start();
    }
    subscriptions.add(transport.consumeEvents(this::onEvent));
    subscriptions.add(transport.consumeMessages(this::onMessage));
    consuming = true;
    log.info("Coordinator started with {} tasks from {}", taskSet.tasks().size(),
        source.description());
  }

  /** The tasks in force. */
  public TaskSet tasks() {
    return taskSet;
  }

  /**
   * Sets where the live output that remote workers ship goes (kept in memory only, never in
   * the store); call before {@link #start()}.
   *
   * @param sink called on the events' consumer thread; must be quick and must not throw
   */
  public void liveOutput(Consumer<JobEvent.JobOutput> sink) {
    this.liveOutput = Objects.requireNonNull(sink, "sink");
  }

  /** The id scheme of this coordinator. */
  public Ids ids() {
    return ids;
  }

  /** A new id, sorting after every id this coordinator made before. */
  public String newId() {
    return ids.next();
  }

  /**
   * Reads the task source again and puts the result in force; on failure keeps the old tasks.
   *
   * @return the tasks now in force
   * @throws io.angora.api.TaskLoadException with every error, the old tasks still in force
   */
  public List<TaskDefinition> reload() {
    TaskSet loaded = TaskSet.of(source.load());
    taskSet = loaded;
    log.info("Reloaded {} tasks from {}", loaded.tasks().size(), source.description());
    return loaded.tasks();
  }

  /**
   * Why a new run of a task would not start right now: held back by its concurrency limit
   * ({@code concurrency 1 of 1 running}), its group's ({@code group db full: 2 of 2 running}) or
   * its rate ({@code rate 2/s used until T}), or skipped ({@code overflow: skip}); empty when it
   * would be dispatched at once. Reads only; changes nothing. Thread-safe.
   *
   * @param task the task
   * @return the reason, or empty
   */
  public Optional<String> flowHold(TaskDefinition task) {
    if (!task.flow().limited()) {
      return Optional.empty();
    }
    synchronized (runLock) {
      return gate.hold(task, clock.instant());
    }
  }

  /** How many runs wait for their limits, QUEUED and not dispatched. */
  public int waitingRuns() {
    synchronized (runLock) {
      return gate.waitingCount();
    }
  }

  /** Workers seen by heartbeat. */
  public WorkerRegistry workers() {
    return workers;
  }

  /** Whether messages or outcomes are being handled right now. */
  public boolean busy() {
    return !inFlight.isEmpty();
  }

  /** Pending replays scheduled in this process. */
  public int pendingReplays() {
    return replays.size();
  }

  private void recover() {
    if (!transport.durable()) {
      for (Run run : store.unfinished()) {
        if (waitsAgain(run)) {
          continue;
        }
        Run interrupted = run.finished(RunStatus.FAILED, null,
            "interrupted: Angora stopped before the run finished", run.output(), clock.instant());
        synchronized (runLock) {
          update(interrupted);
        }
        listeners.onRun(interrupted);
        taskSet.task(run.task()).ifPresent(task -> failedForGood(task, interrupted));
      }
      admitWaiting();
    } else {
      // The jobs may still be in flight: a RUNNING run's worker renews its lease if it is
      // alive; a QUEUED run is dispatched again once it is known not to be in flight.
      List<Run> unfinished = store.unfinished();
      synchronized (runLock) {
        for (Run run : unfinished) {
          track(run);
          if (run.status() == RunStatus.RUNNING && run.worker() != null) {
            leases.grant(run.id(), run.worker());
            taskSet.task(run.task()).ifPresent(t -> gate.running(run.id(), t, clock.instant()));
          } else if (!waitsAgain(run)) {
            leases.suspect(run.id());
          }
        }
        // Runs the limits let through now may be in flight still: dispatched again only once
        // known not to be, like any queued run after a restart.
        for (Job job : gate.admit(clock.instant())) {
          leases.suspect(job.runId());
        }
        flowTimer.wake(gate.nextRateOpening(clock.instant()), clock.instant());
      }
      if (!unfinished.isEmpty()) {
        log.info("{} unfinished runs from before the restart: running ones keep their worker "
            + "while its heartbeats renew their lease, queued ones are dispatched again unless "
            + "in flight", unfinished.size());
      }
    }
    replays.restore();
  }

  /**
   * Puts a QUEUED run of a limited task found at start back in line, in its order; call with
   * {@link #runLock} held (or before consuming starts).
   *
   * @return false when the run is not QUEUED or its task has no limit
   */
  private boolean waitsAgain(Run run) {
    if (run.status() != RunStatus.QUEUED) {
      return false;
    }
    Optional<TaskDefinition> task = taskSet.task(run.task()).filter(t -> t.flow().limited());
    if (task.isEmpty()) {
      return false;
    }
    synchronized (runLock) {
      track(run);
      gate.enqueue(run, job(task.get(), run.triggeringMessage(run.queuedAt()), run.id(),
          run.attempt()));
    }
    return true;
  }

  /**
   * The job of a run. A message an {@code on_failure} sent (its id derived from its parent's)
   * carries the failed run into the job's environment, read from the store.
   */
  private Job job(TaskDefinition task, Message message, String runId, int attempt) {
    String parent = message.parentRunId();
    Job.Failure failed = null;
    if (parent != null && Ids.isFailureMessage(message.id(), parent)) {
      Run parentRun = unfinishedRuns.get(parent);
      Optional<Run> found = parentRun != null ? Optional.of(parentRun)
          : patient.read("run " + parent, () -> store.find(parent));
      failed = found.filter(r -> r.status() == RunStatus.FAILED
          || r.status() == RunStatus.TIMED_OUT).map(Job.Failure::of).orElse(null);
    }
    return new Job(runId, task, message, attempt, failed);
  }

  /**
   * The job to publish now for a queued run: itself when its task has no limit or it was
   * admitted before, else whatever the gate lets through (other runs it lets through are
   * published once durable); null when it waits. Call with {@link #runLock} held.
   */
  private @Nullable Job gated(TaskDefinition task, Run run, Job job) {
    if (!task.flow().limited() || gate.isActive(run.id())) {
      return job;
    }
    gate.enqueue(run, job);
    Job own = null;
    List<Job> others = new ArrayList<>();
    for (Job admitted : gate.admit(clock.instant())) {
      if (admitted.runId().equals(run.id())) {
        own = admitted;
      } else {
        others.add(admitted);
      }
    }
    publishAdmitted(others);
    flowTimer.wake(gate.nextRateOpening(clock.instant()), clock.instant());
    return own;
  }

  /** Lets waiting runs through as far as the limits allow now, and publishes their jobs. */
  private void admitWaiting() {
    synchronized (runLock) {
      publishAdmitted(gate.admit(clock.instant()));
      flowTimer.wake(gate.nextRateOpening(clock.instant()), clock.instant());
    }
  }

  /**
   * Publishes the jobs of runs the gate let through, once everything recorded so far (their
   * runs) is durable. A job the transport refuses is handled by {@link #notDispatched}.
   */
  private void publishAdmitted(List<Job> jobs) {
    if (jobs.isEmpty()) {
      return;
    }
    if (stopping) {
      // Stopping: no worker of this process takes new jobs. They stay QUEUED in the store and
      // wait again at the next start.
      log.info("{} runs let through by their limits stay QUEUED: Angora is stopping",
          jobs.size());
      return;
    }
    for (Job job : jobs) {
      log.debug("Run {} of task {} let through by its limits", job.runId(), job.task().name());
    }
    afterDurable(() -> publishJobs(jobs)).exceptionally(error -> {
      log.warn("Jobs let through by their limits not handed to the workers: {}",
          error.getMessage());
      return null;
    });
  }

  private void onMessage(Delivery<Message> delivery) {
    Message received = delivery.body();
    String what = "message " + received.id();
    inFlight.put(received.id(), Boolean.TRUE);
    List<Queued> queued;
    CompletableFuture<Void> durable;
    Message message = received;
    try {
      // A copy handled before (after a crash, or sent twice) looks its runs up; a first
      // delivery does not read the store.
      boolean again = seen.seenBefore(received.id()) || delivery.redelivered();
      if (again) {
        // As first recorded: a plain client's message without a send time or workflow id got
        // the clock's and a new one at each delivery, and its run ids depend on the send time.
        message = patient.read(what, () -> store.findMessage(received.id())).orElse(received);
      }
      queued = record(message, matches(message), again);
      durable = afterDurable(() -> publish(queued));
    } catch (StoreException e) {
      inFlight.remove(received.id());
      commits.giveBack(delivery, what, e.getMessage());
      return;
    }
    commits.settle(delivery, what, durable, FaultPoint.AFTER_PUBLISH_BEFORE_ACK,
        () -> inFlight.remove(received.id()));
  }

  /**
   * Takes a message sent in this process ({@code Angora.send} where the coordinator runs, and
   * so the HTTP API and the web UI) as if the broker had delivered it, without the round trip:
   * it is recorded with its runs, and their jobs are published once that is durable. The store's
   * record is then the message's durable copy, as it is of a delivered message once acked. A
   * job the transport does not confirm is dispatched again, as for a manual run.
   *
   * <p>Only while the store keeps up and nothing needs a read: when its writes are failing, or
   * half its bound of pending writes is taken, or a matching task checks its parents
   * ({@code parent_success}, a store read that waits while the database is away), or the
   * coordinator is not consuming, this returns null and the caller sends the message through
   * the transport, where it waits in the broker. A message taken here whose writes then fail is
   * for the caller to send through the transport as well: that copy is handled as a redelivery
   * (the same id), its runs looked up, never queued twice.
   *
   * @param message the message, with a new id
   * @return completes once the message and its runs are durable, or null when not taken
   */
  public @Nullable CompletableFuture<Void> take(Message message) {
    if (!consuming || stopping || storeBehind()) {
      return null;
    }
    List<TaskDefinition> tasks = matches(message);
    // A parent_success check reads the store, and a read waits while the database is away:
    // never on the sender's thread.
    if (tasks.stream().anyMatch(TaskDefinition::parentSuccess) || seen.seenBefore(message.id())) {
      return null;
    }
    String id = message.id();
    inFlight.put(id, Boolean.TRUE);
    List<Queued> queued;
    try {
      queued = record(message, tasks, false);
    } catch (StoreException e) {
      inFlight.remove(id);
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> durable = flush();
    durable.thenCompose(ok -> publish(queued).whenComplete((done, error) -> {
      if (error != null) {
        queued.stream().filter(q -> q.job() != null)
            .forEach(q -> notDispatched(q.runId(), error));
      }
    })).whenComplete((ok, error) -> inFlight.remove(id));
    return durable.copy(); // the store's future may be shared: the caller's timeout stays its own
  }

  /**
   * Records a message and a run of each task it matches (for a message handled before, only the
   * runs it has not got yet), then tells the listeners. Writes only: the jobs are published once
   * the writes are durable.
   *
   * @param again whether the message was handled before: its runs are looked up
   * @return what to publish
   */
  private List<Queued> record(Message message, List<TaskDefinition> tasks, boolean again) {
    store.recordMessage(message);
    listeners.onMessage(message);
    List<Queued> queued = new ArrayList<>();
    for (TaskDefinition task : tasks) {
      Queued q = again ? queueAgain(task, message) : recordRun(task, message, 1,
          message.isManualRun() ? null : message.workflowId(),
          ids.run(message.id(), task.name(), message.sentAt()), true, false);
      if (q != null) {
        queued.add(q);
      }
    }
    // Listeners hear of a run as QUEUED before its job can start anywhere: once published
    // (in place, on the in-memory transport), its start and outcome may come at once.
    for (Queued q : queued) {
      if (q.run() != null) {
        listeners.onRun(q.run());
      }
    }
    return queued;
  }

  /** Whether the store is failing or has half its bound of pending writes taken. */
  private boolean storeBehind() {
    return store instanceof StoreHealth health && (health.writesFailing()
        || health.pendingWrites() >= health.maxPendingWrites() / 2);
  }

  private List<TaskDefinition> matches(Message message) {
    TaskSet tasks = taskSet;
    if (message.task() == null) {
      return tasks.index().match(message.text());
    }
    Optional<TaskDefinition> task = tasks.task(message.task());
    if (task.isEmpty()) {
      log.warn("Message {} asks for unknown task '{}'; ignored", message.id(), message.task());
    }
    return task.stream().toList();
  }

  /**
   * A run to hand to the workers once it is durable.
   *
   * @param run the run as recorded now, for the listeners; null when it was recorded before
   * @param job the job to publish, or null when there is none (held back, already handled)
   * @param runId the run's id
   */
  private record Queued(@Nullable Run run, @Nullable Job job, String runId) {}

  /**
   * The run of a task for a message handled before (redelivered, or a second copy): nothing
   * when this coordinator holds the run unfinished or the store has it finished; its job again
   * when the store has it queued (the job may not have been published); a new run otherwise.
   */
  private @Nullable Queued queueAgain(TaskDefinition task, Message message) {
    String runId = ids.run(message.id(), task.name(), message.sentAt());
    synchronized (runLock) {
      if (unfinishedRuns.containsKey(runId)) {
        return null;
      }
    }
    Optional<Run> before = patient.read("run " + runId, () -> store.find(runId));
    if (before.isEmpty()) {
      return recordRun(task, message, 1, message.isManualRun() ? null : message.workflowId(),
          runId, true, false);
    }
    Run run = before.get();
    if (run.status().isFinal()) {
      log.info("Message {} handled again: its run {} of task {} is already {}", message.id(),
          runId, task.name(), run.status());
      return null;
    }
    if (!adopt(run)) {
      return null;
    }
    if (run.status() != RunStatus.QUEUED) {
      return null; // RUNNING: its worker reports the outcome, or its lease expires
    }
    synchronized (runLock) {
      if (gate.isWaiting(runId)) {
        return null; // held back by its limits: dispatched when they allow
      }
      Job job = gated(task, run, job(task, message, runId, run.attempt()));
      if (job == null) {
        return null;
      }
      log.info("Message {} handled again: its run {} of task {} is queued; publishing its job "
          + "again (a job already running is not run twice)", message.id(), runId, task.name());
      return new Queued(null, job, runId);
    }
  }

  /**
   * Takes an unfinished run found in the store under this coordinator's watch (a running one
   * under a lease).
   *
   * @return false when this coordinator holds it already
   */
  private boolean adopt(Run run) {
    synchronized (runLock) {
      if (unfinishedRuns.containsKey(run.id())) {
        return false;
      }
      track(run);
      if (run.status() == RunStatus.RUNNING && run.worker() != null) {
        leases.grant(run.id(), run.worker());
      }
      return true;
    }
  }

  /**
   * Records a run of a task for a message, after the {@code parent_success} check when the task
   * asks for it. Writes only: the job is published by {@link #publish} once the run is durable.
   *
   * @return what to publish, or null when a join already ran for these parent runs
   */
  private @Nullable Queued recordRun(TaskDefinition task, Message message, int attempt,
      @Nullable String parentWorkflow, String runId, boolean check,
      boolean recordAlreadyJoined) {
    synchronized (runLock) {
      Instant now = clock.instant();
      Run run = Run.queued(runId, task.name(), message, attempt, now);
      if (task.parentSuccess() && check) {
        Optional<String> held = patient.read("parents of " + task.name(),
            () -> ParentCheck.problem(store, taskSet, task, parentWorkflow));
        if (held.isEmpty() && parentWorkflow != null && patient.read("parents of "
            + task.name(), () -> ParentCheck.alreadyJoined(store, taskSet, task,
            parentWorkflow))) {
          log.debug("Task {} already ran for the latest runs of its parents in workflow {}",
              task.name(), parentWorkflow);
          if (!recordAlreadyJoined) {
            return null;
          }
          held = Optional.of("already ran for the latest runs of its parents in workflow "
              + parentWorkflow);
        }
        if (held.isPresent()) {
          Run skipped = run.finished(RunStatus.SKIPPED, null, held.get(), "", now);
          insert(skipped);
          return new Queued(skipped, null, runId);
        }
      }
      Optional<String> skip = task.flow().limited() ? gate.skip(task) : Optional.empty();
      if (skip.isPresent()) {
        Run skipped = run.finished(RunStatus.SKIPPED, null, skip.get(), "", now);
        insert(skipped);
        return new Queued(skipped, null, runId);
      }
      insert(run);
      return new Queued(run, gated(task, run, job(task, message, runId, attempt)), runId);
    }
  }

  /**
   * Publishes what follows from the writes made so far (jobs, follow-up messages) once those
   * writes are durable, and completes once both are done. Over a transport that keeps nothing
   * (in memory) a crash loses every item in flight whatever the store holds, so neither the
   * publication nor its completion (the delivery's acknowledgement) waits for the store: a
   * quick job runs while its run is pending and the store writes that run once, finished, in a
   * transaction of its own choosing (a full batch, or its wait for writes nobody flushes),
   * instead of once queued and again finished. Its bound of pending writes still blocks the
   * senders when it falls behind.
   */
  private CompletableFuture<Void> afterDurable(Supplier<CompletableFuture<Void>> publication) {
    if (transport.durable()) {
      return flush().thenCompose(ok -> publication.get());
    }
    try {
      return publication.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Completes once the writes made so far are durable. */
  private CompletableFuture<Void> flush() {
    try {
      return store.flush();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Publishes the jobs of durable runs, off the store's thread; completes once the transport
   * confirmed them all. A run whose job was refused is forgotten here, so that the redelivery of
   * its message publishes it again.
   */
  private CompletableFuture<Void> publish(List<Queued> queued) {
    return publishJobs(queued.stream().map(Queued::job).filter(j -> j != null).toList());
  }

  /** Publishes jobs of durable runs, off the store's thread; completes once all are confirmed. */
  private CompletableFuture<Void> publishJobs(List<Job> jobs) {
    if (jobs.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return onPublisher(() -> {
      FaultPoint.AFTER_RECORD_BEFORE_PUBLISH.reach();
      CompletableFuture<?>[] sent = new CompletableFuture<?>[jobs.size()];
      for (int i = 0; i < sent.length; i++) {
        sent[i] = dispatch(jobs.get(i));
      }
      return CompletableFuture.allOf(sent);
    });
  }

  private CompletableFuture<Void> onPublisher(
      Supplier<CompletableFuture<Void>> work) {
    if (!transport.durable()) {
      // In memory a publication is a queue append that never blocks: done on the caller's
      // thread (it does not wait for the store, see afterDurable) it saves a hand-off per job.
      try {
        return work.get();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    try {
      return CompletableFuture.supplyAsync(work, publisher).thenCompose(f -> f);
    } catch (RejectedExecutionException stopping) {
      return CompletableFuture.failedFuture(stopping);
    }
  }

  /**
   * Records a run of a task for a message and hands its job to the workers once the run is
   * durable, after the {@code parent_success} check when the task asks for it. For callers
   * without a delivery to give back (a manual run, a replay asked for): a job the transport
   * refuses is handled as in {@link #notDispatched}.
   *
   * @param task the task
   * @param message the triggering message
   * @param attempt 1, or more for a replay
   * @param parentWorkflow the workflow in which parents must have succeeded; null for any
   * @return the run as recorded (SKIPPED when held back by a parent), or null when a join
   *     already ran for the latest runs of its parents
   */
  public @Nullable Run queue(TaskDefinition task, Message message, int attempt,
      @Nullable String parentWorkflow) {
    return queueNow(task, message, attempt, parentWorkflow, attempt == 1, false);
  }

  /**
   * Queues a run for a caller without a delivery, with the {@code parent_success} check when
   * {@code check} is set and the task asks for it.
   *
   * @param recordAlreadyJoined whether a join that already ran is recorded as SKIPPED (a
   *     replay asked for by a user) rather than silently left out (a second parent's message)
   */
  private @Nullable Run queueNow(TaskDefinition task, Message message, int attempt,
      @Nullable String parentWorkflow, boolean check, boolean recordAlreadyJoined) {
    String runId = attempt == 1 ? ids.run(message.id(), task.name(), message.sentAt())
        : ids.next();
    Queued q = recordRun(task, message, attempt, parentWorkflow, runId, check,
        recordAlreadyJoined);
    if (q == null) {
      return null;
    }
    Run run = Objects.requireNonNull(q.run());
    listeners.onRun(run);
    afterDurable(() -> publish(List.of(q))).whenComplete((ok, error) -> {
      if (error != null) {
        notDispatched(runId, error);
      }
    });
    return run;
  }

  /**
   * Hands a job to the workers; a dispatch that fails is handled by {@link #notDispatched}.
   *
   * @return completes once the transport confirmed the job
   */
  private CompletableFuture<Void> dispatch(Job job) {
    CompletableFuture<Void> sent;
    try {
      sent = transport.dispatch(job);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.whenComplete((ok, error) -> {
      if (error != null) {
        notDispatched(job.runId(), error);
      }
    });
  }

  /**
   * A job the transport did not confirm. With a durable transport the run stays QUEUED as a
   * suspect, dispatched again once it is known not to be in flight (the broker may have taken a
   * publication it did not confirm); in memory the run fails.
   */
  private void notDispatched(String runId, Throwable error) {
    String why = String.valueOf(error instanceof java.util.concurrent.CompletionException
        && error.getCause() != null ? error.getCause().getMessage() : error.getMessage());
    if (reconciler != null) {
      log.warn("Job of run {} not confirmed by the transport ({}); it is dispatched again "
          + "unless found in flight", runId, why);
      leases.suspect(runId);
    } else if (stopping && limited(runId)) {
      // Let through while Angora stops: it stays QUEUED and waits again at the next start.
      log.info("Run {} stays QUEUED: Angora is stopping ({})", runId, why);
    } else {
      failUnfinished(runId, null, "could not hand the job to the workers: " + why);
    }
  }

  /** Whether an unfinished run belongs to a task with flow limits. */
  private boolean limited(String runId) {
    synchronized (runLock) {
      Run run = unfinishedRuns.get(runId);
      return run != null && taskSet.task(run.task()).map(t -> t.flow().limited()).orElse(false);
    }
  }

  private void leaseExpired(Leases.Expired expired) {
    failUnfinished(expired.runId(), expired.worker(), "interrupted: worker " + expired.worker()
        + " sent no heartbeat for the run within its lease of " + leases.length().toMillis()
        + " ms (killed or cut off)");
  }

  /**
   * The transport lost its connection: a broker restarted meanwhile may have dropped the jobs it
   * held transiently, so every QUEUED run not held back by its limits becomes a suspect,
   * dispatched again once known not to be in flight (not waiting in the start queue, listed by
   * no worker's heartbeat for a lease length).
   */
  private void connectionLost() {
    int suspects = 0;
    synchronized (runLock) {
      for (Run run : unfinishedRuns.values()) {
        if (run.status() == RunStatus.QUEUED && !gate.isWaiting(run.id())) {
          leases.suspect(run.id());
          suspects++;
        }
      }
    }
    if (suspects > 0) {
      log.info("The transport's connection was lost: {} queued runs are dispatched again unless "
          + "found in flight", suspects);
    }
  }

  private void redispatch(String runId) {
    Run run;
    synchronized (runLock) {
      run = current(runId).filter(r -> r.status() == RunStatus.QUEUED).orElse(null);
      if (run != null && gate.isWaiting(runId)) {
        return; // held back by its limits, not lost: the gate dispatches it
      }
    }
    if (run == null) {
      return;
    }
    Optional<TaskDefinition> task = taskSet.task(run.task());
    if (task.isEmpty()) {
      failUnfinished(runId, null, "task " + run.task() + " is no longer defined");
      return;
    }
    log.info("Run {} of task {} is QUEUED but its job is not in flight: dispatching it again",
        runId, run.task());
    Job job;
    synchronized (runLock) {
      job = job(task.get(), run.triggeringMessage(run.queuedAt()), runId, run.attempt());
    }
    dispatch(job);
  }

  private void onEvent(Delivery<JobEvent> delivery) {
    JobEvent event = delivery.body();
    if (event instanceof JobEvent.WorkerHeartbeat beat) {
      workers.seen(beat);
      leases.renew(beat);
      delivery.ack();
    } else if (event instanceof JobEvent.JobStarted started) {
      synchronized (runLock) {
        // A RUNNING run may start again elsewhere when its first worker died.
        current(started.runId()).filter(run -> !run.status().isFinal())
            .ifPresent(run -> {
              Run running = run.started(started.worker(), started.at());
              update(running);
              taskSet.task(running.task()).ifPresent(
                  t -> gate.running(running.id(), t, clock.instant()));
              leases.grant(running.id(), started.worker());
              listeners.onRun(running);
            });
      }
      delivery.ack();
    } else if (event instanceof JobEvent.JobFinished finished) {
      onOutcome(delivery, finished);
    } else if (event instanceof JobEvent.JobOutput output) {
      try {
        liveOutput.accept(output); // live output only: nothing to record, acked once kept
      } catch (RuntimeException e) {
        log.warn("Live output of run {} not kept", output.runId(), e);
      }
      delivery.ack();
    }
  }

  private void onOutcome(Delivery<JobEvent> delivery, JobEvent.JobFinished finished) {
    String what = "outcome " + finished.status() + " of run " + finished.runId();
    inFlight.put(finished.runId(), Boolean.TRUE);
    CompletableFuture<Void> durable;
    try {
      Optional<Outcome> done = record(finished);
      FaultPoint.WHILE_RECORDING_OUTCOME.reach();
      if (done.isEmpty()) {
        durable = CompletableFuture.completedFuture(null);
      } else {
        Outcome outcome = done.get();
        if (outcome.fresh()) {
          listeners.onRun(outcome.run());
        }
        List<Message> followUps = afterFinish(outcome.run(), !outcome.fresh());
        durable = afterDurable(() -> send(followUps));
      }
    } catch (StoreException e) {
      inFlight.remove(finished.runId());
      commits.giveBack(delivery, what, e.getMessage());
      return;
    }
    commits.settle(delivery, what, durable, null, () -> inFlight.remove(finished.runId()));
  }

  /**
   * A run finished by an outcome.
   *
   * @param run the finished run
   * @param fresh true when this outcome finished it now; false when the store already had it
   *     finished the same way (the outcome is handled again after a crash)
   */
  private record Outcome(Run run, boolean fresh) {}

  private Optional<Outcome> record(JobEvent.JobFinished finished) {
    synchronized (runLock) {
      Run mapped = unfinishedRuns.get(finished.runId());
      Optional<Run> found = mapped != null ? Optional.of(mapped)
          : patient.read("run " + finished.runId(), () -> store.find(finished.runId()));
      if (found.isEmpty()) {
        log.warn("Outcome for unknown run {} of task {} ignored", finished.runId(), finished.task());
        return Optional.empty();
      }
      Run run = found.get();
      if (run.status().isFinal()) {
        if (run.status() == finished.status()) {
          // The same outcome again: what it caused may not all have happened before a crash.
          log.info("Outcome {} for run {} handled again: following it up again where needed",
              finished.status(), run.id());
          return Optional.of(new Outcome(run, false));
        }
        log.info("Outcome {} for run {} ignored: it is already {}", finished.status(), run.id(),
            run.status());
        return Optional.empty();
      }
      if (run.status() == RunStatus.QUEUED || !finished.worker().equals(run.worker())) {
        run = run.started(finished.worker(), finished.startedAt());
      }
      Run done = run.finished(finished.status(), finished.exitCode(), finished.reason(),
          finished.output(), finished.at());
      update(done);
      return Optional.of(new Outcome(done, true));
    }
  }

  /**
   * What a finished run causes: its follow-up messages (returned, to be sent once the outcome is
   * durable) or its replay (recorded now). Idempotent: handled again, it schedules the same
   * replay and names the same follow-ups, without those already received.
   *
   * @param again true when the outcome is handled again: follow-ups already received are left out
   */
  private List<Message> afterFinish(Run run, boolean again) {
    Optional<TaskDefinition> task = taskSet.task(run.task());
    if (task.isEmpty()) {
      log.warn("Run {} finished but task {} is no longer defined: no follow-up", run.id(),
          run.task());
      return List.of();
    }
    if (run.status() == RunStatus.SUCCEEDED) {
      return followUps(run, task.get().messages(), false, again);
    }
    if (run.status() == RunStatus.FAILED || run.status() == RunStatus.TIMED_OUT) {
      return failedForGood(task.get(), run, again);
    }
    return List.of();
  }

  /**
   * Schedules the replay of a failed run, or, when it has no attempt left, names its
   * {@code on_failure} messages (to be sent once the failure is durable).
   */
  private List<Message> failedForGood(TaskDefinition task, Run run, boolean again) {
    if (replays.afterFailure(task, run) || task.onFailure().isEmpty()) {
      return List.of();
    }
    return followUps(run, task.onFailure(), true, again);
  }

  /** Schedules a replay or sends the on_failure messages of a run failed outside an outcome. */
  private void failedForGood(TaskDefinition task, Run run) {
    List<Message> messages = failedForGood(task, run, true);
    if (!messages.isEmpty()) {
      flush().thenCompose(ok -> send(messages)).exceptionally(error -> {
        log.error("on_failure messages of run {} not sent: {}", run.id(), error.getMessage());
        return null;
      });
    }
  }

  /**
   * The messages a finished run sends, with ids derived from it; handled again, without those
   * already received.
   *
   * @param onFailure true for the on_failure messages, false for those sent on success
   */
  private List<Message> followUps(Run run, List<String> texts, boolean onFailure,
      boolean again) {
    List<Message> next = new ArrayList<>(texts.size());
    Instant sentAt = run.finishedAt() != null ? run.finishedAt() : run.queuedAt();
    for (int i = 0; i < texts.size(); i++) {
      String id = onFailure ? Ids.failure(run.id(), i) : Ids.followUp(run.id(), i);
      if (again && patient.read("message " + id, () -> store.findMessage(id)).isPresent()) {
        continue;
      }
      next.add(new Message(id, texts.get(i), null, run.workflowId(), run.id(), null, sentAt));
    }
    return next;
  }

  /** Sends follow-up messages, off the store's thread; completes once all are confirmed. */
  private CompletableFuture<Void> send(List<Message> messages) {
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return onPublisher(() -> {
      CompletableFuture<?>[] sent = new CompletableFuture<?>[messages.size()];
      for (int i = 0; i < sent.length; i++) {
        Message m = messages.get(i);
        CompletableFuture<Void> one;
        try {
          one = transport.send(m);
        } catch (RuntimeException e) {
          one = CompletableFuture.failedFuture(e);
        }
        sent[i] = one.whenComplete((ok, error) -> {
          if (error != null) {
            log.error("Follow-up message '{}' of run {} could not be sent: {}; the outcome is "
                + "handled again", m.text(), m.parentRunId(), error.getMessage());
          }
        });
        if (i == 0 && sent.length > 1 && FaultPoint.WITH_FOLLOW_UPS_PENDING.armed()) {
          sent[0].join();
          FaultPoint.WITH_FOLLOW_UPS_PENDING.reach();
        }
      }
      return CompletableFuture.allOf(sent);
    });
  }

  /**
   * Fails an unfinished run and replays it per its task's policy.
   *
   * @param runId the run
   * @param worker only if RUNNING on this worker; null for any unfinished run
   * @param reason why
   */
  private void failUnfinished(String runId, @Nullable String worker, String reason) {
    Run failed = null;
    synchronized (runLock) {
      Optional<Run> run = current(runId);
      if (run.isPresent() && !run.get().status().isFinal() && (worker == null
          || run.get().status() == RunStatus.RUNNING && worker.equals(run.get().worker()))) {
        failed = run.get().finished(RunStatus.FAILED, null, reason, run.get().output(),
            clock.instant());
        update(failed);
      }
    }
    if (failed != null) {
      log.error("Run {} of task {} failed: {}", runId, failed.task(), reason);
      listeners.onRun(failed);
      Run f = failed;
      taskSet.task(failed.task()).ifPresent(task -> failedForGood(task, f));
    }
  }

  /**
   * Fires a due replay: queues the next attempt of the failed run under an id derived from it,
   * and forgets the pending replay only once that run's job is confirmed; fired again (after a
   * crash, or when the job was refused), it finds the attempt and queues none twice.
   */
  private void fireReplay(PendingReplay due) {
    Optional<Run> failed = patient.read("run " + due.runId(), () -> store.find(due.runId()));
    if (failed.isEmpty()) {
      log.warn("Replay of unknown run {} dropped", due.runId());
      store.removeReplay(due.runId());
      return;
    }
    Optional<TaskDefinition> task = taskSet.task(failed.get().task());
    if (task.isEmpty()) {
      log.warn("Replay of run {} dropped: task {} is no longer defined", due.runId(),
          failed.get().task());
      store.removeReplay(due.runId());
      return;
    }
    Run previous = failed.get();
    int attempt = previous.attempt() + 1;
    String runId = ids.replay(previous.id(), attempt, due.dueAt());
    Message trigger = previous.triggeringMessage(due.dueAt());
    Queued q = replayRun(task.get(), trigger, attempt, runId);
    if (q != null && q.run() != null) {
      listeners.onRun(q.run());
    }
    flush().thenCompose(ok -> publish(q == null ? List.of() : List.of(q)))
        .whenComplete((ok, error) -> {
          if (error == null) {
            store.removeReplay(due.runId());
          } else {
            log.warn("Replay {} of run {} not handed to the workers ({}); trying again",
                runId, due.runId(), error.getMessage());
            replays.retryLater(due);
          }
        });
  }

  /** The replay's run: recorded now, or found (its job again when it is still queued). */
  private @Nullable Queued replayRun(TaskDefinition task, Message trigger, int attempt,
      String runId) {
    synchronized (runLock) {
      if (unfinishedRuns.containsKey(runId)) {
        return null;
      }
    }
    Optional<Run> before = patient.read("run " + runId, () -> store.find(runId));
    if (before.isEmpty()) {
      return recordRun(task, trigger, attempt, null, runId, false, false);
    }
    Run run = before.get();
    if (run.status() != RunStatus.QUEUED) {
      return null;
    }
    if (!adopt(run)) {
      return null;
    }
    synchronized (runLock) {
      Job job = gate.isWaiting(runId) ? null : gated(task, run, job(task, trigger, runId, attempt));
      return new Queued(null, job, runId);
    }
  }

  /**
   * Queues a new attempt of a finished run now, cancelling a pending replay of it.
   *
   * @param runId the run to replay
   * @return the new run
   * @throws NotFoundException for an unknown run or a task no longer defined
   * @throws IllegalStateException when the run has not finished
   */
  public Run replayNow(String runId) {
    Run previous = store.find(runId).orElseThrow(() -> new NotFoundException("run", runId));
    if (!previous.status().isFinal()) {
      throw new IllegalStateException("run " + runId + " is " + previous.status()
          + "; only a finished run can be replayed");
    }
    TaskDefinition task = taskSet.task(previous.task())
        .orElseThrow(() -> new NotFoundException("task", previous.task()));
    replays.cancel(runId);
    Message again = previous.triggeringMessage(clock.instant());
    if (previous.status() == RunStatus.SKIPPED) {
      // Held back by parent_success: the check decides again, in the same workflow, and a
      // join that has run since is not run a second time.
      return Objects.requireNonNull(queueNow(task, again, previous.attempt() + 1,
          previous.workflowId(), true, true));
    }
    return queue(task, again, previous.attempt() + 1, null);
  }

  /**
   * Cancels a run: a queued one at once, a running one through its worker.
   *
   * @param runId the run
   * @return true when the run was unfinished and is being cancelled
   * @throws NotFoundException for an unknown run
   */
  public boolean cancel(String runId) {
    Run cancelled = null;
    synchronized (runLock) {
      Run run = current(runId).orElseThrow(() -> new NotFoundException("run", runId));
      if (run.status().isFinal()) {
        return false;
      }
      if (run.status() == RunStatus.QUEUED) {
        cancelled = run.finished(RunStatus.CANCELLED, null, "cancelled before it started",
            "", clock.instant());
        update(cancelled);
      }
    }
    if (cancelled != null) {
      listeners.onRun(cancelled);
    }
    // Also tell the workers: a queued job may be on its way to one of them.
    transport.cancel(runId).exceptionally(error -> {
      log.error("Cancellation of run {} could not be sent: {}", runId, error.getMessage());
      return null;
    });
    return true;
  }

  /** A run as last recorded; call with {@link #runLock} held. */
  private Optional<Run> current(String runId) {
    Run run = unfinishedRuns.get(runId);
    return run != null ? Optional.of(run) : store.find(runId);
  }

  /** Records a new run; call with {@link #runLock} held. */
  private void insert(Run run) {
    store.insert(run);
    track(run);
  }

  /** Records a run's new state; call with {@link #runLock} held. */
  private void update(Run run) {
    store.update(run);
    track(run);
  }

  private void track(Run run) {
    if (run.status().isFinal()) {
      unfinishedRuns.remove(run.id());
      leases.release(run.id());
      if (gate.release(run.id())) {
        publishAdmitted(gate.admit(clock.instant()));
        flowTimer.wake(gate.nextRateOpening(clock.instant()), clock.instant());
      }
    } else {
      unfinishedRuns.put(run.id(), run);
    }
  }

  /** Stops taking messages; outcomes are still recorded until {@link #close()}. */
  public void stopIntake() {
    stopping = true;
    if (!subscriptions.isEmpty()) {
      subscriptions.get(subscriptions.size() - 1).close();
    }
    replays.close();
  }

  /** Leases held by running jobs (durable transports), for tests and metrics. */
  public int leasesHeld() {
    return leases.size();
  }

  @Override
  public void close() {
    stopIntake();
    if (reconciler != null) {
      reconciler.close();
    }
    subscriptions.forEach(Subscription::close);
    flowTimer.close();
    patient.close();
    commits.close();
    publisher.shutdown();
  }
}
