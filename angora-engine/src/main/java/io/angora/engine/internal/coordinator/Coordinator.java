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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator role: matches messages to tasks, records runs, hands jobs to workers, records
 * their outcomes, sends follow-up messages and schedules replays. One per installation.
 * Thread-safe: run state changes are serialized on one lock, so an outcome, a cancel and a
 * replay of the same run never interleave.
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
        ? new Reconciler(leases, transport, this::leaseExpired, this::redispatch) : null;
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
    log.info("Coordinator started with {} tasks from {}", taskSet.tasks().size(),
        source.description());
  }

  /** The tasks in force. */
  public TaskSet tasks() {
    return taskSet;
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
        Run interrupted = run.finished(RunStatus.FAILED, null,
            "interrupted: Angora stopped before the run finished", run.output(), clock.instant());
        synchronized (runLock) {
          update(interrupted);
        }
        listeners.onRun(interrupted);
        taskSet.task(run.task()).ifPresent(task -> replays.afterFailure(task, interrupted));
      }
    } else {
      // The jobs may still be in flight: a RUNNING run's worker renews its lease if it is
      // alive; a QUEUED run is dispatched again once it is known not to be in flight.
      List<Run> unfinished = store.unfinished();
      synchronized (runLock) {
        for (Run run : unfinished) {
          track(run);
          if (run.status() == RunStatus.RUNNING && run.worker() != null) {
            leases.grant(run.id(), run.worker());
          } else {
            leases.suspect(run.id());
          }
        }
      }
      if (!unfinished.isEmpty()) {
        log.info("{} unfinished runs from before the restart: running ones keep their worker "
            + "while its heartbeats renew their lease, queued ones are dispatched again unless "
            + "in flight", unfinished.size());
      }
    }
    replays.restore();
  }

  private void onMessage(Delivery<Message> delivery) {
    Message message = delivery.body();
    inFlight.put(message.id(), Boolean.TRUE);
    try {
      store.recordMessage(message);
      listeners.onMessage(message);
      TaskSet tasks = taskSet;
      List<TaskDefinition> matched;
      if (message.task() != null) {
        Optional<TaskDefinition> task = tasks.task(message.task());
        if (task.isEmpty()) {
          log.warn("Message {} asks for unknown task '{}'; ignored", message.id(), message.task());
        }
        matched = task.stream().toList();
      } else {
        matched = tasks.index().match(message.text());
      }
      if (delivery.redelivered()) {
        matched = notYetQueued(message, matched);
      }
      for (TaskDefinition task : matched) {
        queue(task, message, 1, message.isManualRun() ? null : message.workflowId());
      }
      delivery.ack();
    } finally {
      inFlight.remove(message.id());
    }
  }

  /**
   * A message delivered again (the coordinator stopped while handling it) queues only the
   * tasks it has not queued yet.
   */
  private List<TaskDefinition> notYetQueued(Message message, List<TaskDefinition> matched) {
    Set<String> queued = store.workflow(message.workflowId()).stream()
        .filter(run -> run.messageId().equals(message.id()))
        .map(Run::task)
        .collect(Collectors.toSet());
    if (!queued.isEmpty()) {
      log.info("Message {} delivered again: {} of its runs were queued before", message.id(),
          queued.size());
    }
    return matched.stream().filter(task -> !queued.contains(task.name())).toList();
  }

  /**
   * Records a run of a task for a message and hands its job to the workers, after the
   * {@code parent_success} check when the task asks for it.
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
    return queue(task, message, attempt, parentWorkflow, attempt == 1, false);
  }

  /**
   * Queues a run, with the {@code parent_success} check when {@code check} is set and the
   * task asks for it.
   *
   * @param recordAlreadyJoined whether a join that already ran is recorded as SKIPPED (a
   *     replay asked for by a user) rather than silently left out (a second parent's message)
   */
  private @Nullable Run queue(TaskDefinition task, Message message, int attempt,
      @Nullable String parentWorkflow, boolean check, boolean recordAlreadyJoined) {
    Run run;
    synchronized (runLock) {
      Instant now = clock.instant();
      run = Run.queued(ids.next(), task.name(), message, attempt, now);
      if (task.parentSuccess() && check) {
        Optional<String> held = ParentCheck.problem(store, taskSet, task, parentWorkflow);
        if (held.isEmpty() && parentWorkflow != null
            && ParentCheck.alreadyJoined(store, taskSet, task, parentWorkflow)) {
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
          listeners.onRun(skipped);
          return skipped;
        }
      }
      insert(run);
    }
    listeners.onRun(run);
    dispatch(new Job(run.id(), task, message, attempt));
    return run;
  }

  /**
   * Hands a job to the workers. With a durable transport a dispatch that fails leaves the run
   * QUEUED as a suspect, dispatched again once it is known not to be in flight (the broker may
   * have taken a publication it did not confirm).
   */
  private void dispatch(Job job) {
    transport.dispatch(job).whenComplete((ok, error) -> {
      if (error == null) {
        return;
      }
      if (reconciler != null) {
        log.warn("Job of run {} not confirmed by the transport ({}); it is dispatched again "
            + "unless found in flight", job.runId(), error.getMessage());
        leases.suspect(job.runId());
      } else {
        failUnfinished(job.runId(), null,
            "could not hand the job to the workers: " + error.getMessage());
      }
    });
  }

  private void leaseExpired(Leases.Expired expired) {
    failUnfinished(expired.runId(), expired.worker(), "interrupted: worker " + expired.worker()
        + " sent no heartbeat for the run within its lease of " + leases.length().toMillis()
        + " ms (killed or cut off)");
  }

  private void redispatch(String runId) {
    Run run;
    synchronized (runLock) {
      run = current(runId).filter(r -> r.status() == RunStatus.QUEUED).orElse(null);
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
    dispatch(new Job(runId, task.get(), run.triggeringMessage(run.queuedAt()), run.attempt()));
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
              leases.grant(running.id(), started.worker());
              listeners.onRun(running);
            });
      }
      delivery.ack();
    } else if (event instanceof JobEvent.JobFinished finished) {
      inFlight.put(finished.runId(), Boolean.TRUE);
      Optional<Run> done = record(finished);
      CompletableFuture<Void> followUps = done.map(this::afterFinish)
          .orElse(CompletableFuture.completedFuture(null));
      followUps.whenComplete((ok, error) -> {
        delivery.ack();
        inFlight.remove(finished.runId());
      });
    }
  }

  private Optional<Run> record(JobEvent.JobFinished finished) {
    synchronized (runLock) {
      Optional<Run> found = current(finished.runId());
      if (found.isEmpty()) {
        log.warn("Outcome for unknown run {} of task {} ignored", finished.runId(), finished.task());
        return Optional.empty();
      }
      Run run = found.get();
      if (run.status().isFinal()) {
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
      listeners.onRun(done);
      return Optional.of(done);
    }
  }

  private CompletableFuture<Void> afterFinish(Run run) {
    Optional<TaskDefinition> task = taskSet.task(run.task());
    if (task.isEmpty()) {
      log.warn("Run {} finished but task {} is no longer defined: no follow-up", run.id(),
          run.task());
      return CompletableFuture.completedFuture(null);
    }
    if (run.status() == RunStatus.SUCCEEDED) {
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (String text : task.get().messages()) {
        Message next = new Message(ids.next(), text, null, run.workflowId(), run.id(), null,
            clock.instant());
        sends.add(transport.send(next).exceptionally(error -> {
          log.error("Follow-up message '{}' of run {} could not be sent: {}", text, run.id(),
              error.getMessage());
          return null;
        }));
      }
      return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }
    if (run.status() == RunStatus.FAILED || run.status() == RunStatus.TIMED_OUT) {
      replays.afterFailure(task.get(), run);
    }
    return CompletableFuture.completedFuture(null);
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
      taskSet.task(failed.task()).ifPresent(task -> replays.afterFailure(task, f));
    }
  }

  private void fireReplay(PendingReplay due) {
    Optional<Run> failed = store.find(due.runId());
    store.removeReplay(due.runId());
    if (failed.isEmpty()) {
      log.warn("Replay of unknown run {} dropped", due.runId());
      return;
    }
    Optional<TaskDefinition> task = taskSet.task(failed.get().task());
    if (task.isEmpty()) {
      log.warn("Replay of run {} dropped: task {} is no longer defined", due.runId(),
          failed.get().task());
      return;
    }
    Run previous = failed.get();
    queue(task.get(), previous.triggeringMessage(clock.instant()), previous.attempt() + 1, null);
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
      return Objects.requireNonNull(queue(task, again, previous.attempt() + 1,
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
    } else {
      unfinishedRuns.put(run.id(), run);
    }
  }

  /** Stops taking messages; outcomes are still recorded until {@link #close()}. */
  public void stopIntake() {
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
  }
}
