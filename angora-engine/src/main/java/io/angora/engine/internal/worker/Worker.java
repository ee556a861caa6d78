package io.angora.engine.internal.worker;

import io.angora.api.Cancellation;
import io.angora.api.Delivery;
import io.angora.api.Executor;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.RunStatus;
import io.angora.api.Subscription;
import io.angora.api.Transport;
import io.angora.engine.internal.coordinator.RecentIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker role: takes jobs from the transport, runs them with the executor (at most its
 * concurrency at a time), and reports their start and outcome.
 *
 * <p>A job that ends within the start-report delay reports only its outcome, and its delivery
 * is acknowledged once the outcome is accepted: until then the unacknowledged delivery is its
 * lease (the broker hands it to another worker if this one dies). A job that runs longer
 * reports its start; once the transport accepts that report the delivery is acknowledged and
 * the coordinator's lease, renewed by this worker's heartbeats, takes over. So no delivery stays
 * unacknowledged for a long job's duration (a broker's consumer timeout never fires), and a
 * delivery waiting here for a free slot longer than the lease length is given back for another
 * worker. Heartbeats list every job held here, waiting or running. Thread-safe.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final int REMEMBERED_CANCELLATIONS = 10_000;

  private final String name;
  private final String host;
  private final int concurrency;
  private final Transport transport;
  private final Executor executor;
  private final Clock clock;
  private final Duration heartbeatInterval;
  private final Duration startReportDelay;
  private final long maxWaitNanos;
  /** Every job held here, waiting for a slot or running, by run id: what heartbeats list. */
  private final Map<String, Boolean> held = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService heartbeat;
  private final OutcomeReporter outcomes;
  private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
  /** Running jobs whose start is not reported yet, by run id; reported by {@link #sweepStarts}. */
  private final Map<String, PendingStart> unreported = new ConcurrentHashMap<>();
  private final AtomicBoolean sweepScheduled = new AtomicBoolean();
  private final RecentIds startedRuns = new RecentIds();
  private final Map<String, Boolean> cancelledEarly = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED_CANCELLATIONS;
    }
  };
  private final List<Subscription> subscriptions = new ArrayList<>();
  private volatile boolean stopping;

  /**
   * Creates a worker; {@link #start()} starts taking jobs.
   *
   * @param name the worker's name, reported on runs
   * @param host the host it runs on
   * @param concurrency how many jobs run at once at most
   * @param transport the transport
   * @param executor what runs the jobs
   * @param clock the time source
   * @param heartbeatInterval how often to tell the coordinator this worker is alive
   * @param leaseLength how long the coordinator waits for a heartbeat listing a running job; a
   *     job waiting here longer than that for a free slot is given back
   * @param startReportDelay how long a job runs before its start is reported (zero: at once)
   */
  public Worker(String name, String host, int concurrency, Transport transport, Executor executor,
      Clock clock, Duration heartbeatInterval, Duration leaseLength, Duration startReportDelay) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("worker concurrency must be 1 or more: " + concurrency);
    }
    this.name = name;
    this.host = host;
    this.concurrency = concurrency;
    this.transport = transport;
    this.executor = executor;
    this.clock = clock;
    this.heartbeatInterval = heartbeatInterval;
    this.startReportDelay = startReportDelay;
    this.maxWaitNanos = leaseLength.toNanos();
    AtomicInteger threads = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "angora-worker-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "angora-heartbeat");
      t.setDaemon(true);
      return t;
    });
    this.outcomes = new OutcomeReporter(transport, heartbeat);
  }

  /** Starts taking jobs and sending heartbeats. */
  public void start() {
    subscriptions.add(transport.consumeCancellations(this::onCancel));
    // Three times the concurrency in hand: a job for every slot, one waiting for each so that a
    // slot never waits a round trip for its next job, and room for the jobs whose outcomes wait
    // for their batch (their deliveries are acknowledged once the batch is confirmed).
    subscriptions.add(transport.consumeJobs(3 * concurrency, d -> {
      held.put(d.body().runId(), Boolean.TRUE);
      pool.execute(new JobTask(d, System.nanoTime()));
    }));
    heartbeat.scheduleAtFixedRate(this::beat, 0, heartbeatInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("Worker {} started on {} with concurrency {}", name, host, concurrency);
  }

  /** The worker's name. */
  public String name() {
    return name;
  }

  /** How many jobs are running now. */
  public int runningCount() {
    return running.size();
  }

  private void beat() {
    giveBackLongWaiting();
    transport.report(new JobEvent.WorkerHeartbeat(name, host, concurrency,
        List.copyOf(held.keySet()), clock.instant())).exceptionally(error -> {
          log.debug("Heartbeat of worker {} not sent: {}", name, error.getMessage());
          return null;
        });
  }

  /**
   * Gives back deliveries that waited here for a slot longer than a lease: all slots are busy
   * with long jobs, and an unacknowledged delivery must not wait for their end.
   */
  private void giveBackLongWaiting() {
    long now = System.nanoTime();
    for (Runnable r : pool.getQueue().toArray(Runnable[]::new)) {
      JobTask task = (JobTask) r;
      if (now - task.receivedAt >= maxWaitNanos && pool.remove(task)) {
        log.debug("Worker {}: giving back run {}: no free slot for {} ms", name,
            task.delivery.body().runId(), maxWaitNanos / 1_000_000);
        held.remove(task.delivery.body().runId());
        task.delivery.requeue();
      }
    }
  }

  private void onCancel(String runId) {
    Cancellation cancellation = running.get(runId);
    if (cancellation != null) {
      cancellation.cancel("cancelled on request");
    } else {
      synchronized (cancelledEarly) {
        cancelledEarly.put(runId, Boolean.TRUE);
      }
    }
  }

  private void run(Delivery<Job> delivery) {
    Job job = delivery.body();
    try {
      runHeld(delivery);
    } finally {
      held.remove(job.runId());
    }
  }

  private void runHeld(Delivery<Job> delivery) {
    Job job = delivery.body();
    if (stopping) {
      delivery.requeue();
      return;
    }
    if (startedRuns.seenBefore(job.runId())) {
      log.info("Run {} of task {} was started by this worker before; its job came again (the "
          + "coordinator published it again after a restart) and is not run twice", job.runId(),
          job.task().name());
      delivery.ack();
      return;
    }
    Settlement settlement = new Settlement(delivery);
    boolean cancelled;
    synchronized (cancelledEarly) {
      cancelled = cancelledEarly.remove(job.runId()) != null;
    }
    JobEvent.JobFinished outcome;
    Instant start = clock.instant();
    if (cancelled) {
      outcome = new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.CANCELLED,
          null, "cancelled before it started", "", name, start, start);
    } else {
      Cancellation cancellation = new Cancellation();
      running.put(job.runId(), cancellation);
      try {
        JobEvent.JobStarted started =
            new JobEvent.JobStarted(job.runId(), job.task().name(), name, start);
        if (startReportDelay.isZero()) {
          reportStart(started, settlement);
        } else {
          long delay = startReportDelay.toNanos();
          unreported.put(job.runId(), new PendingStart(started, settlement,
              System.nanoTime() + delay));
          scheduleSweep(delay);
        }
        outcome = executeSafely(job, cancellation, start);
      } finally {
        unreported.remove(job.runId()); // a job this quick reports only its outcome
        running.remove(job.runId());
      }
    }
    // Given back if never accepted, unless its start was reported: then the coordinator's
    // lease expires and the run is replayed per its task's policy.
    outcomes.report(outcome, settlement::ack, () -> {
      startedRuns.forget(job.runId());
      settlement.requeue();
    });
  }

  /** A running job's start, to be reported once it is due. */
  private record PendingStart(JobEvent.JobStarted started, Settlement settlement, long dueNanos) {}

  /**
   * Makes sure a sweep runs within {@code delayNanos}. One timer task for all running jobs
   * rather than one per job: at hundreds of short jobs a second, a task scheduled and cancelled
   * per job woke the timer thread twice per job.
   */
  private void scheduleSweep(long delayNanos) {
    if (sweepScheduled.compareAndSet(false, true)) {
      try {
        heartbeat.schedule(this::sweepStarts, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopping) {
        sweepScheduled.set(false);
      }
    }
  }

  /** Reports the starts now due, and comes back when the next one is. */
  private void sweepStarts() {
    sweepScheduled.set(false);
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (Map.Entry<String, PendingStart> e : unreported.entrySet()) {
      PendingStart p = e.getValue();
      if (now - p.dueNanos() >= 0) {
        if (unreported.remove(e.getKey(), p)) {
          reportStart(p.started(), p.settlement());
        }
      } else {
        next = Math.min(next, p.dueNanos() - now);
      }
    }
    if (next != Long.MAX_VALUE) {
      scheduleSweep(next);
    }
  }

  /** Reports a start; once accepted, the delivery is acknowledged and the lease takes over. */
  private void reportStart(JobEvent.JobStarted started, Settlement settlement) {
    try {
      transport.report(started).whenComplete((ok, error) -> {
        if (error == null) {
          settlement.ack();
        } else {
          log.debug("Start of run {} not reported ({}); its delivery stays unacknowledged until "
              + "its outcome is", started.runId(), error.getMessage());
        }
      });
    } catch (RuntimeException e) {
      log.warn("Start of run {} not reported: {}", started.runId(), e.toString());
    }
  }

  private JobEvent.JobFinished executeSafely(Job job, Cancellation cancellation, Instant start) {
    try {
      return executor.execute(job, name, cancellation);
    } catch (RuntimeException e) {
      log.error("Executor failed on run {} of task {}", job.runId(), job.task().name(), e);
      return new JobEvent.JobFinished(job.runId(), job.task().name(), RunStatus.FAILED, null,
          "executor failed: " + e, "", name, start, clock.instant());
    }
  }

  /**
   * Stops taking jobs, gives running ones a grace period to finish, then cancels them.
   *
   * @param grace how long running jobs may go on
   */
  public void stop(Duration grace) {
    stopping = true;
    if (subscriptions.size() > 1) {
      subscriptions.get(1).close();
    }
    pool.shutdown();
    List<Runnable> waiting = new ArrayList<>();
    pool.getQueue().drainTo(waiting);
    for (Runnable r : waiting) {
      ((JobTask) r).delivery.requeue();
    }
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Worker {}: {} jobs still running after {}; cancelling them", name,
            running.size(), grace);
        running.values().forEach(c -> c.cancel("worker stopping: grace period over"));
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.values().forEach(c -> c.cancel("worker interrupted"));
      pool.shutdownNow();
    }
    try {
      if (!outcomes.awaitNonePending(Duration.ofSeconds(30))) {
        log.warn("Worker {}: outcomes still not accepted by the transport; their jobs go back "
            + "to the queue", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeat.shutdownNow();
    subscriptions.forEach(Subscription::close);
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  /** Settles a delivery once, whichever of the start report and the outcome gets there first. */
  private static final class Settlement {
    private final Delivery<Job> delivery;
    private final AtomicBoolean settled = new AtomicBoolean();

    Settlement(Delivery<Job> delivery) {
      this.delivery = delivery;
    }

    void ack() {
      if (settled.compareAndSet(false, true)) {
        delivery.ack();
      }
    }

    void requeue() {
      if (settled.compareAndSet(false, true)) {
        delivery.requeue();
      }
    }
  }

  private final class JobTask implements Runnable {
    final Delivery<Job> delivery;
    final long receivedAt;

    JobTask(Delivery<Job> delivery, long receivedAt) {
      this.delivery = delivery;
      this.receivedAt = receivedAt;
    }

    @Override
    public void run() {
      Worker.this.run(delivery);
    }
  }
}
