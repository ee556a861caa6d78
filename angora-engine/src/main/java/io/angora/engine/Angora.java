package io.angora.engine;

import io.angora.api.Executor;
import io.angora.api.LiveOutput;
import io.angora.api.Message;
import io.angora.api.MessageText;
import io.angora.api.NotFoundException;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import io.angora.api.Run;
import io.angora.api.RunListener;
import io.angora.api.RunStore;
import io.angora.api.StoreHealth;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import io.angora.api.Transport;
import io.angora.api.TransportException;
import io.angora.api.WorkflowGraph;
import io.angora.engine.explain.Explainer;
import io.angora.engine.explain.Explanation;
import io.angora.engine.internal.coordinator.Backoff;
import io.angora.engine.internal.coordinator.Coordinator;
import io.angora.engine.internal.coordinator.Ids;
import io.angora.engine.internal.coordinator.Listeners;
import io.angora.engine.internal.live.RemoteOutputs;
import io.angora.engine.internal.live.ShippingExecutor;
import io.angora.engine.internal.live.ShippingLimits;
import io.angora.engine.internal.scheduling.Scheduler;
import io.angora.engine.internal.worker.Worker;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import io.angora.engine.schedule.ScheduleStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Angora installation, or this process's part of one: the entry point of the Java API.
 *
 * <pre>{@code
 * try (Angora angora = Angora.builder().tasks(Path.of("tasks")).build()) {
 *   angora.start();
 *   angora.send("example.step.1");
 * }
 * }</pre>
 *
 * <p>Built by {@link #builder()}, immutable in its wiring, thread-safe. Its {@link Role}
 * decides what it does: {@link Role#ALL} (the default) coordinates and runs jobs in this JVM;
 * with a broker transport, one {@link Role#COORDINATOR} and any number of {@link Role#WORKER}s
 * share the work. Methods about tasks, runs and schedules need the coordinator role, which
 * alone fires schedules ({@link AngoraBuilder#schedules}). {@link #close()}
 * stops gracefully and closes the transport, run store and executor given to the builder.
 */
public final class Angora implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Angora.class);
  private static final List<String> WORK_QUEUES = List.of("initialize", "start", "results");
  /** Remote runs whose live output the coordinator keeps at once (64 KiB each at most). */
  private static final int LIVE_REMOTE_RUNS = 256;
  /** The scheduler looks at the clock at least this often, so that clock jumps show soon. */
  private static final Duration SCHEDULER_MAX_SLEEP = Duration.ofSeconds(1);
  /**
   * How long a message sent here waits for the coordinator's store to make it durable before
   * it is sent through the transport as well.
   */
  private static final Duration LOCAL_PATIENCE = Duration.ofSeconds(2);

  private final Role role;
  private final Transport transport;
  private final RunStore store;
  /** What {@link #runs()} hands out: the store without its writes. */
  private final RunStore runs;
  private final Executor executor;
  private final Clock clock;
  private final Duration grace;
  private final Listeners listeners = new Listeners();
  private final @Nullable Coordinator coordinator;
  private final @Nullable Worker worker;
  /** The live output remote workers ship, when this process coordinates. */
  private final @Nullable RemoteOutputs remoteOutputs;
  /** Ships this worker's live output, when no coordinator is in this process. */
  private final @Nullable ShippingExecutor shipping;
  private final TaskSource source;
  private final @Nullable ScheduleSource scheduleSource;
  private final @Nullable Scheduler scheduler;
  private volatile State state = State.NEW;

  private enum State { NEW, STARTED, CLOSED }

  Angora(AngoraBuilder b) {
    this.role = b.role;
    this.transport = b.transport != null ? b.transport : new InMemoryTransport();
    this.store = b.store != null ? b.store : new InMemoryRunStore();
    this.runs = ReadOnlyRunStore.of(store);
    this.executor = b.executor != null ? b.executor : ProcessExecutor.create();
    this.clock = b.clock;
    this.grace = b.grace;
    this.source = b.source();
    listeners.add(b.listeners);
    this.coordinator = role.coordinates()
        ? new Coordinator(source, transport, store, clock, listeners,
            new Backoff(b.replayInitial, b.replayMax), b.heartbeat.multipliedBy(3),
            b.leaseLength())
        : null;
    this.scheduleSource = b.scheduleSource();
    Coordinator c = coordinator;
    // Schedules fire in the coordinator only: one installation sends each message once.
    this.scheduler = c != null && scheduleSource != null
        ? new Scheduler(transport, store, clock, c.ids(), b.scheduleGrace, SCHEDULER_MAX_SLEEP)
        : null;
    this.remoteOutputs = c == null ? null : remoteOutputs(c);
    // A worker on its own ships its jobs' live output; the coordinator's own worker need not.
    Executor runs = role.works() && c == null ? ShippingExecutor.wrap(executor, transport, clock,
        b.startReportDelay, ShippingLimits.DEFAULT) : executor;
    this.shipping = runs instanceof ShippingExecutor s ? s : null;
    this.worker = role.works()
        ? new Worker(b.workerName != null ? b.workerName : defaultWorkerName(), host(),
            b.concurrency, transport, runs, clock, b.heartbeat, b.leaseLength(),
            b.startReportDelay)
        : null;
  }

  /** Keeps the live output remote workers ship until each run ends. */
  private RemoteOutputs remoteOutputs(Coordinator c) {
    RemoteOutputs outputs = new RemoteOutputs(ProcessExecutor.DEFAULT_OUTPUT_TAIL_BYTES,
        LIVE_REMOTE_RUNS, runId -> store.find(runId).map(run -> run.status().isFinal())
            .orElse(true));
    c.liveOutput(outputs::accept);
    listeners.add(run -> {
      if (run.status().isFinal()) {
        outputs.end(run.id());
      }
    });
    return outputs;
  }

  /** Starts describing an installation: in-memory transport and store, process executor. */
  public static AngoraBuilder builder() {
    return new AngoraBuilder();
  }

  /**
   * Loads the tasks, recovers unfinished work recorded by a previous process, and starts
   * consuming messages and jobs.
   *
   * @throws io.angora.api.TaskLoadException when the tasks do not load
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("Angora is " + state.name().toLowerCase() + "; start once");
    }
    List<Schedule> schedules = scheduler != null ? loadSchedules() : List.of();
    if (coordinator != null) {
      coordinator.start();
    }
    if (worker != null) {
      worker.start();
    }
    if (scheduler != null) {
      scheduler.replace(schedules);
      scheduler.start();
    }
    state = State.STARTED;
  }

  /**
   * Sends a message that starts a new workflow.
   *
   * @param text the message string
   * @return the message as sent, once the transport accepted it
   * @throws IllegalArgumentException when the text is not a valid message
   * @throws TransportException when the transport does not accept it
   */
  public Message send(String text) {
    return send(text, null, null);
  }

  /**
   * Sends a message with a payload, starting a new workflow.
   *
   * @param text the message string
   * @param payload handed to jobs as {@code ANGORA_PAYLOAD}, or null
   * @return the message as sent, once the transport accepted it
   */
  public Message send(String text, @Nullable String payload) {
    return send(text, payload, null);
  }

  /**
   * Sends a message, blocking until the transport accepted it.
   *
   * @param text the message string
   * @param payload handed to jobs as {@code ANGORA_PAYLOAD}, or null
   * @param workflowId the workflow it belongs to, or null to start a new one
   * @return the message as sent
   * @throws IllegalArgumentException when the text, payload or workflow id breaks the rules of
   *     {@link MessageText}
   * @throws TransportException when the transport does not accept it
   */
  public Message send(String text, @Nullable String payload, @Nullable String workflowId) {
    CompletableFuture<Message> sent = sendAsync(text, payload, workflowId);
    try {
      return sent.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TransportException te) {
        throw te;
      }
      throw new TransportException("message '" + text + "' not accepted: " + cause, cause);
    } catch (TimeoutException e) {
      throw new TransportException("message '" + text + "' not accepted within 30s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while sending '" + text + "'", e);
    }
  }

  /**
   * Sends a message without blocking.
   *
   * <p>Where this process runs the coordinator over a durable transport (RabbitMQ), the
   * coordinator takes the message here, without the broker's round trip, while its store keeps
   * up and no task it triggers checks its parents ({@code parent_success}): the message is then
   * accepted once it and its runs are durable in the store, and needs no broker until its jobs
   * are dispatched. When the store is failing or behind, or does not make it durable within
   * 2 s, the message goes through the transport and waits in the broker, as a message from any
   * other sender does.
   *
   * @param text the message string
   * @param payload handed to jobs as {@code ANGORA_PAYLOAD}, or null
   * @param workflowId the workflow it belongs to, or null to start a new one
   * @return completes with the message once it is durable: accepted by the transport, or
   *     recorded by this process's coordinator
   * @throws IllegalArgumentException when the text, payload or workflow id breaks the rules of
   *     {@link MessageText}
   */
  public CompletableFuture<Message> sendAsync(String text, @Nullable String payload,
      @Nullable String workflowId) {
    MessageText.checkMessage(text);
    MessageText.checkPayload(payload);
    if (workflowId != null) {
      MessageText.checkId("workflow id", workflowId);
    }
    String id = newId();
    Message message = new Message(id, text, payload, workflowId != null ? workflowId : id, null,
        null, clock.instant());
    Coordinator c = coordinator;
    CompletableFuture<Void> taken = c != null && transport.durable() && state == State.STARTED
        ? c.take(message) : null;
    if (taken == null) {
      return transport.send(message).thenApply(ok -> message);
    }
    // Recorded by the coordinator in this process, without the broker's round trip; what the
    // store does not make durable in time goes to the broker after all (the same id: the
    // coordinator handles that copy as a redelivery, never queuing a run twice).
    return taken.orTimeout(LOCAL_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
        .handle((ok, error) -> error == null ? CompletableFuture.<Void>completedFuture(null)
            : viaBroker(message, error))
        .thenCompose(f -> f).thenApply(ok -> message);
  }

  private CompletableFuture<Void> viaBroker(Message message, Throwable why) {
    log.warn("Message {} not made durable by the store here ({}): sent through the transport",
        message.id(), why instanceof java.util.concurrent.TimeoutException
            ? "not within " + LOCAL_PATIENCE.toMillis() + " ms" : why.toString());
    try {
      return transport.send(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Runs a task now, whatever its triggers (a manual run); {@code parent_success} still
   * applies, over the latest runs of its parents in any workflow.
   *
   * @param task the task's name
   * @return the run as recorded: queued, or skipped when a parent holds it back
   * @throws NotFoundException for an unknown task
   */
  public Run run(String task) {
    return run(task, null);
  }

  /**
   * Runs a task now with a payload.
   *
   * @param task the task's name
   * @param payload handed to the job as {@code ANGORA_PAYLOAD}, or null
   * @return the run as recorded
   * @throws NotFoundException for an unknown task
   * @throws IllegalArgumentException when the payload breaks the rules of {@link MessageText}
   */
  public Run run(String task, @Nullable String payload) {
    MessageText.checkPayload(payload);
    Coordinator c = coordinator();
    TaskDefinition definition = c.tasks().task(task)
        .orElseThrow(() -> new NotFoundException("task", task));
    String id = c.newId();
    Message message = new Message(id, "manual:" + task, payload, id, null, task, clock.instant());
    store.recordMessage(message);
    listeners.onMessage(message);
    Run run = c.queue(definition, message, 1, null);
    return Objects.requireNonNull(run, "a manual run is never skipped");
  }

  /**
   * Queues a new attempt of a finished run now.
   *
   * @param runId the run
   * @return the new run
   * @throws NotFoundException for an unknown run or task
   * @throws IllegalStateException when the run has not finished
   */
  public Run replay(String runId) {
    return coordinator().replayNow(runId);
  }

  /**
   * Cancels an unfinished run.
   *
   * @param runId the run
   * @return true when it was unfinished and is being cancelled, false when already finished
   * @throws NotFoundException for an unknown run
   */
  public boolean cancel(String runId) {
    return coordinator().cancel(runId);
  }

  /** The tasks in force, in definition order. */
  public List<TaskDefinition> tasks() {
    return coordinator().tasks().tasks();
  }

  /**
   * The tasks a message would trigger now, matched by the trigger index of the tasks in force
   * (the coordinator's own, so this costs one look-up, not a scan of the tasks).
   *
   * @param message the message text
   * @return the tasks, in definition order; empty when none matches
   */
  public List<TaskDefinition> tasksTriggeredBy(String message) {
    return coordinator().tasks().index().match(message);
  }

  /**
   * Explains what a message would do if sent now, without sending it or recording anything: the
   * tasks it triggers and through which trigger, what would hold them back now (their
   * {@code parent_success} parents in the workflow, the flow gate), the schedules that send it
   * (paused or not) and the tasks only paused schedules reach, and the messages they would
   * send on success and on failure, {@code depth} levels down. A workflow id the run store
   * does not know is said so ({@link Explanation#unknownWorkflow()}), not refused.
   *
   * @param message the message text
   * @param workflowId the workflow it would be sent in, or null for a new one
   * @param depth levels of follow-up messages, 1 to {@link Explainer#MAX_DEPTH}
   * @return the explanation
   * @throws IllegalArgumentException for a message or workflow id that breaks the rules of
   *     {@link MessageText}, or a depth out of range
   */
  public Explanation explain(String message, @Nullable String workflowId, int depth) {
    return explainer().explain(message, workflowId, depth);
  }

  /**
   * Explains a manual run of a task ({@link #run(String)}) without running it.
   *
   * @param task the task's name
   * @param depth levels of follow-up messages, 1 to {@link Explainer#MAX_DEPTH}
   * @return the explanation
   * @throws NotFoundException for an unknown task
   */
  public Explanation explainRun(String task, int depth) {
    return explainer().explainRun(task, depth);
  }

  private Explainer explainer() {
    Coordinator c = coordinator();
    return Explainer.of(c.tasks(), store, c::flowHold, schedules(), clock.instant());
  }

  /**
   * Looks a task up by name.
   *
   * @param name the name
   * @return the task, or empty
   */
  public Optional<TaskDefinition> task(String name) {
    return coordinator().tasks().task(name);
  }

  /**
   * Why a new run of a task would not start right now: its concurrency limit, its group's or
   * its rate holds it back, or {@code overflow: skip} would skip it; empty when it would be
   * dispatched at once (also for an unknown task). Changes nothing.
   *
   * @param name the task's name
   * @return the reason, e.g. {@code concurrency limit reached: 1 of 1 running}, or empty
   */
  public Optional<String> flowHold(String name) {
    Coordinator c = coordinator();
    return c.tasks().task(name).flatMap(c::flowHold);
  }

  /**
   * Reads the task source and the schedules again; on any error the tasks and schedules in
   * force stay.
   *
   * @return the tasks now in force
   * @throws io.angora.api.TaskLoadException with every error found
   */
  public List<TaskDefinition> reload() {
    Coordinator c = coordinator();
    List<Schedule> schedules = scheduler != null ? loadSchedules() : List.of();
    List<TaskDefinition> tasks = c.reload();
    if (scheduler != null) {
      scheduler.replace(schedules);
    }
    return tasks;
  }

  private List<Schedule> loadSchedules() {
    List<Schedule> loaded = Objects.requireNonNull(scheduleSource).load();
    ScheduleSource.of(loaded);
    return loaded;
  }

  /**
   * The schedules in force, with their next and last fire times and the last messages they
   * sent.
   *
   * @return in definition order; empty without schedules
   */
  public List<ScheduleStatus> schedules() {
    coordinator();
    return scheduler == null ? List.of() : scheduler.statuses();
  }

  /**
   * Pauses a schedule: its fire times pass without a message until it is resumed. Recorded in
   * the run store, so it stays paused across a restart.
   *
   * @param name the schedule's name
   * @return the schedule's status
   * @throws NotFoundException for an unknown schedule
   */
  public ScheduleStatus pauseSchedule(String name) {
    return schedulerOrNotFound(name).pause(name);
  }

  /**
   * Resumes a paused schedule from its next fire time after now (what it missed while paused
   * is not caught up).
   *
   * @param name the schedule's name
   * @return the schedule's status
   * @throws NotFoundException for an unknown schedule
   * @throws IllegalStateException when its definition ({@code paused: true}) pauses it
   */
  public ScheduleStatus resumeSchedule(String name) {
    return schedulerOrNotFound(name).resume(name);
  }

  private Scheduler schedulerOrNotFound(String name) {
    coordinator();
    if (scheduler == null) {
      throw new NotFoundException("schedule", name);
    }
    return scheduler;
  }

  /** The workflow graph of the tasks in force. */
  public WorkflowGraph graph() {
    return coordinator().tasks().graph();
  }

  /**
   * The run store, for queries: a read-only view, since the coordinator is the store's only
   * writer. Reads pass through; a write (and {@code close}) throws
   * {@link UnsupportedOperationException} naming the method. The view is a {@link StoreHealth}
   * when the store is one (see also {@link #storeHealth()}).
   *
   * @return the view
   */
  public RunStore runs() {
    return runs;
  }

  /**
   * How the run store's background writing goes, for a store that reports it (a JDBC store does).
   *
   * @return the store's health, or empty when it does not report any
   */
  public Optional<StoreHealth> storeHealth() {
    return store instanceof StoreHealth health ? Optional.of(health) : Optional.empty();
  }

  /**
   * The most recently received messages.
   *
   * @param limit at most this many
   * @return newest first
   */
  public List<Message> recentMessages(int limit) {
    return store.recentMessages(limit);
  }

  /** Workers the coordinator heard from, alive or not. */
  public List<WorkerInfo> workers() {
    return coordinator().workers().all().stream()
        .map(s -> new WorkerInfo(s.beat().worker(), s.beat().host(), s.beat().concurrency(),
            s.beat().runIds(), s.beat().at(), s.alive()))
        .toList();
  }

  /**
   * The output a running job has produced so far: the newest bytes (the executor's output
   * tail), in chunks tagged standard output or standard error, of a job this process's worker
   * runs or, in the coordinator, of one a remote worker runs and ships its output of (see
   * the README's "Live output"). Once the run has finished, its recorded {@link Run#output()}
   * is the output.
   *
   * @param runId the run
   * @return its output so far; empty when it is not running here and no remote output of it
   *     came (queued, finished, a job that just started), or when the executor has no live
   *     output ({@link LiveOutput})
   */
  public Optional<OutputSnapshot> liveOutput(String runId) {
    Optional<OutputSnapshot> local = executor instanceof LiveOutput live
        ? live.liveOutput(runId) : Optional.empty();
    RemoteOutputs remote = remoteOutputs;
    return local.isPresent() || remote == null ? local : remote.liveOutput(runId);
  }

  /**
   * Follows the output of a running job, run by this process's worker or (in the coordinator)
   * by a remote worker that ships it: the output kept so far, then each new chunk as it comes,
   * then {@link OutputListener#onEnd()}. The listener is called on the job's reading thread
   * (or the thread consuming remote events) and must not block.
   *
   * @param runId the run
   * @param listener the follower
   * @return closing it stops the following; empty when the run is not running here and no
   *     remote output of it came yet (ask again), or the executor has no live output
   */
  public Optional<Subscription> followOutput(String runId, OutputListener listener) {
    Optional<Subscription> local = executor instanceof LiveOutput live
        ? live.followOutput(runId, listener) : Optional.empty();
    RemoteOutputs remote = remoteOutputs;
    return local.isPresent() || remote == null ? local : remote.followOutput(runId, listener);
  }

  /** Items waiting in each transport queue, where the transport knows. */
  public Map<String, Long> queueDepths() {
    return transport.queueDepths();
  }

  /**
   * Adds a listener of runs and messages.
   *
   * @param listener the listener
   */
  public void addListener(RunListener listener) {
    listeners.add(listener);
  }

  /**
   * Removes a listener.
   *
   * @param listener the listener
   */
  public void removeListener(RunListener listener) {
    listeners.remove(listener);
  }

  /** This instance's role. */
  public Role role() {
    return role;
  }

  /** The clock the engine uses. */
  public Clock clock() {
    return clock;
  }

  /** Where the tasks come from. */
  public String taskSource() {
    return source.description();
  }

  /** Whether started and not closed. */
  public boolean isRunning() {
    return state == State.STARTED;
  }

  /**
   * Waits until nothing is left to do: no message or job waiting, no run unfinished, no replay
   * pending. A task that replays forever keeps the engine busy.
   *
   * @param timeout how long to wait at most
   * @return true when idle, false on timeout
   * @throws InterruptedException when interrupted
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int quietChecks = 0;
    while (System.nanoTime() < deadline) {
      quietChecks = idle() ? quietChecks + 1 : 0;
      // Twice in a row: a follow-up message may be between two queues at the first look.
      if (quietChecks >= 2) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return false;
  }

  private boolean idle() {
    Map<String, Long> depths = transport.queueDepths();
    // Work queues only: a dead-letter queue holds what will never be processed.
    if (WORK_QUEUES.stream().anyMatch(queue -> depths.getOrDefault(queue, 0L) > 0)) {
      return false;
    }
    if (worker != null && worker.runningCount() > 0) {
      return false;
    }
    Coordinator c = coordinator;
    return c == null || (!c.busy() && c.pendingReplays() == 0 && store.unfinished().isEmpty());
  }

  /**
   * Stops gracefully: no new messages or jobs are taken, running jobs get the grace period to
   * finish and are then cancelled, their outcomes are recorded; then the transport, store and
   * executor are closed. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean started = state == State.STARTED;
    state = State.CLOSED;
    if (started) {
      if (scheduler != null) {
        scheduler.close();
      }
      if (coordinator != null) {
        coordinator.stopIntake();
      }
      if (worker != null) {
        worker.stop(grace);
      }
      if (coordinator != null) {
        awaitOutcomesRecorded();
        coordinator.close();
      }
    }
    if (shipping != null) {
      shipping.close();
    }
    closeQuietly(transport);
    closeQuietly(store);
    if (executor instanceof AutoCloseable closeable) {
      closeQuietly(closeable);
    }
  }

  private void awaitOutcomesRecorded() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (System.nanoTime() < deadline
          && (coordinator.busy() || transport.queueDepths().getOrDefault("results", 0L) > 0)) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      log.warn("Closing {} failed", part, e);
    }
  }

  private Coordinator coordinator() {
    if (coordinator == null) {
      throw new IllegalStateException("this Angora is a " + role + "; tasks and runs belong to "
          + "the coordinator");
    }
    return coordinator;
  }

  private String newId() {
    return coordinator != null ? coordinator.newId()
        : new Ids(clock).next();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static String defaultWorkerName() {
    return host() + "-" + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

}
