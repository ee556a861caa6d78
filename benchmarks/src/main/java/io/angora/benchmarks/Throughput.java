package io.angora.benchmarks;

import io.angora.engine.Angora;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The end-to-end throughput harness. For each mode: Angora started in that mode, a warm-up
 * burst, then {@code --jobs} jobs measured in {@code --slices} slices, each slice a run of the
 * bare spawn loop ({@link SpawnLoop}) followed by a burst of as many messages through Angora
 * (each runs {@code true} once; timed until the last run is recorded as succeeded); then a
 * latency round (closed loop, {@code --concurrency} messages in flight: send to start, send to
 * recorded result). With both {@code amqp} and {@code celery} asked for, Celery's bursts take
 * turns in the AMQP mode's slices. Prints a Markdown table. Not thread-safe; one run at a time.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.angora.benchmarks.Throughput \
 *     --mode all --jobs 2000 --concurrency 2
 * </pre>
 */
public final class Throughput {
  private final ThroughputOptions options;
  private final PrintStream out;
  private final Clock clock = Clock.systemUTC();
  private final SpawnLoop spawnLoop;
  private final SpawnLoop discardLoop;
  private @org.jspecify.annotations.Nullable CSpawnLoop cLoop;
  private int roundNumber;

  /**
   * Creates the harness.
   *
   * @param options what to run
   * @param out where the report goes
   */
  Throughput(ThroughputOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.spawnLoop = new SpawnLoop(options.concurrency(), false);
    this.discardLoop = new SpawnLoop(options.concurrency(), true);
  }

  /**
   * Runs the harness.
   *
   * @param args see {@link ThroughputOptions#USAGE}
   * @throws Exception when a mode fails
   */
  public static void main(String[] args) throws Exception {
    ThroughputOptions options;
    try {
      options = ThroughputOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    new Throughput(options, System.out).run();
  }

  /**
   * Measures every mode asked for and prints the report.
   *
   * @return one result per mode
   * @throws InterruptedException when interrupted
   */
  List<ModeResult> run() throws InterruptedException {
    Report report = new Report(out, options);
    report.header();
    report.idleHeap(IdleHeap.measure(1_000));
    try {
      cLoop = CSpawnLoop.compile(options.concurrency());
    } catch (CSpawnLoop.Unavailable e) {
      report.note("C posix_spawn loop skipped: " + e.getMessage());
    }
    if (options.warmupJobs() > 0) {
      // The loop's own code is a few calls per spawn: a thousand rounds warm it.
      spawnLoop.run(Math.min(options.warmupJobs(), 1_000));
      discardLoop.run(Math.min(options.warmupJobs(), 1_000));
    }
    List<ModeResult> results = new ArrayList<>();
    List<DeploymentMode> modes = options.orderedModes();
    // Asked for both, Celery's bursts take turns with Angora's in the same slices: the machine's
    // speed drifts (a shared VM), and one after the other would compare two different machines.
    boolean interleaved = modes.contains(DeploymentMode.AMQP)
        && modes.contains(DeploymentMode.CELERY);
    for (DeploymentMode mode : modes) {
      if (interleaved && mode == DeploymentMode.CELERY) {
        continue;
      }
      if (interleaved && mode == DeploymentMode.AMQP) {
        results.addAll(measureWithCelery());
      } else {
        results.add(measure(mode));
      }
    }
    report.table(results);
    return results;
  }

  private ModeResult measure(DeploymentMode mode) throws InterruptedException {
    if (mode == DeploymentMode.CELERY) {
      return measureCelery();
    }
    return measure(mode, null).get(0);
  }

  /**
   * The AMQP mode and the Celery worker in the same slices: both started and warmed up, then in
   * each slice the bare loop, Angora's burst and Celery's burst, one after the other (the one
   * not measured sits idle). Celery absent, the AMQP mode alone and Celery's row says why.
   */
  private List<ModeResult> measureWithCelery() throws InterruptedException {
    CeleryWorker celery;
    try {
      celery = warmCelery();
    } catch (Adapters.Unavailable e) {
      return List.of(measure(DeploymentMode.AMQP),
          ModeResult.unavailable(DeploymentMode.CELERY, e.getMessage()));
    }
    try (celery) {
      return measure(DeploymentMode.AMQP, celery);
    }
  }

  /** A Celery worker, started and given the warm-up burst. */
  private CeleryWorker warmCelery() {
    CeleryWorker celery = CeleryWorker.start(options.amqpUri(), options.concurrency(),
        options.timeout());
    if (options.warmupJobs() > 0) {
      try {
        celery.burst(options.warmupJobs(), "warmup", options.timeout());
      } catch (RuntimeException e) {
        celery.close();
        throw e;
      }
    }
    return celery;
  }

  /**
   * Measures a mode, with Celery's bursts in its slices when given one.
   *
   * @return the mode's result, then Celery's when given one
   */
  private List<ModeResult> measure(DeploymentMode mode,
      @org.jspecify.annotations.Nullable CeleryWorker celery) throws InterruptedException {
    RunRecorder recorder = new RunRecorder(clock);
    Deployment deployment;
    try {
      deployment = Deployment.start(mode, options, recorder);
    } catch (Adapters.Unavailable e) {
      return List.of(ModeResult.unavailable(mode, e.getMessage()));
    }
    try (deployment) {
      Angora angora = deployment.coordinator();
      if (options.warmupJobs() > 0) {
        // JIT compilation of the whole path (coordinator, worker, executor) happens here.
        burst(angora, recorder, new Round(tag(null), options.warmupJobs(), null));
      }
      // The machine is shared: the bare loop and the mode take turns in slices, so that a
      // change of load in the middle weighs on both alike.
      long bareNanos = 0;
      long bareCpu = 0;
      long modeNanos = 0;
      long modeCpu = 0;
      long discardNanos = 0;
      long discardCpu = 0;
      long cNanos = 0;
      long cCpu = 0;
      long celeryNanos = 0;
      long modeJit = 0;
      long bareJit = 0;
      int counted = 0;
      int left = options.jobs();
      for (int slice = options.slices(); slice > 0; slice--) {
        int jobs = left / slice;
        left -= jobs;
        long cpu = MemoryUse.ownCpuNanos();
        long bareJitBefore = jitMillis();
        bareNanos += spawnLoop.run(jobs);
        bareCpu += MemoryUse.ownCpuNanos() - cpu;
        bareJit += jitMillis() - bareJitBefore;
        cpu = MemoryUse.ownCpuNanos();
        discardNanos += discardLoop.run(jobs);
        discardCpu += MemoryUse.ownCpuNanos() - cpu;
        if (cLoop != null) {
          CSpawnLoop.Result c = cLoop.run(jobs);
          cNanos += c.elapsedNanos();
          cCpu += c.cpuNanos();
        }
        Round measured = new Round(tag(mode), jobs, null);
        cpu = MemoryUse.ownCpuNanos() + deployment.workerCpuNanos();
        long jit = jitMillis();
        modeNanos += burst(angora, recorder, measured);
        modeCpu += MemoryUse.ownCpuNanos() + deployment.workerCpuNanos() - cpu;
        modeJit += jitMillis() - jit;
        counted += measured.succeeded();
        if (celery != null) {
          celeryNanos += celery.burst(jobs, "measured", options.timeout());
        }
      }
      // Part of each CPU figure: compiling paths the warm-up did not reach, and recompiling
      // code the other slices' work made deoptimize (this JVM's compiler threads only; a
      // worker JVM's are not counted here).
      out.printf("%s: this JVM's JIT compilers worked %d ms during its measured slices (%.0f µs "
          + "a job), %d ms during the bare loop's (%.0f µs a job)%n", mode.label(), modeJit,
          modeJit * 1e3 / options.jobs(), bareJit, bareJit * 1e3 / options.jobs());
      Round latency = closedLoop(angora, recorder, mode);
      ModeResult result = new ModeResult(mode, null, counted, perSecond(options.jobs(),
          modeNanos), perSecond(options.jobs(), bareNanos), perJob(modeCpu), perJob(bareCpu),
          perSecond(options.jobs(), discardNanos), perJob(discardCpu),
          cNanos == 0 ? 0 : perSecond(options.jobs(), cNanos), perJob(cCpu),
          latency.startLatencies(), latency.resultLatencies(), MemoryUse.heapAfterGc(),
          MemoryUse.ownRss(), deployment.workerRss());
      return celery == null ? List.of(result) : List.of(result, celeryResult(celeryNanos,
          bareNanos));
    }
  }

  /**
   * The Celery worker, measured as the modes are: the same warm-up, the same slices taking
   * turns with the bare loop, the same jobs; no latency round and no CPU figure (its pool
   * processes are not the harness's to count).
   */
  private ModeResult measureCelery() throws InterruptedException {
    CeleryWorker celery;
    try {
      celery = warmCelery();
    } catch (Adapters.Unavailable e) {
      return ModeResult.unavailable(DeploymentMode.CELERY, e.getMessage());
    }
    try (celery) {
      long bareNanos = 0;
      long celeryNanos = 0;
      int left = options.jobs();
      for (int slice = options.slices(); slice > 0; slice--) {
        int jobs = left / slice;
        left -= jobs;
        bareNanos += spawnLoop.run(jobs);
        celeryNanos += celery.burst(jobs, "measured", options.timeout());
      }
      return celeryResult(celeryNanos, bareNanos);
    }
  }

  private ModeResult celeryResult(long celeryNanos, long bareNanos) {
    return new ModeResult(DeploymentMode.CELERY, null, options.jobs(),
        perSecond(options.jobs(), celeryNanos), perSecond(options.jobs(), bareNanos), 0, 0,
        0, 0, 0, 0, null, null, 0, OptionalLong.empty(), OptionalLong.empty());
  }

  /** Sends the round's messages as fast as the transport takes them; returns elapsed nanos. */
  private long burst(Angora angora, RunRecorder recorder, Round round)
      throws InterruptedException {
    recorder.begin(round);
    int jobs = round.expected();
    List<CompletableFuture<?>> sent = new ArrayList<>(jobs);
    long start = System.nanoTime();
    for (int i = 0; i < jobs; i++) {
      sent.add(angora.sendAsync(Deployment.TRIGGER, round.tag(), null));
    }
    awaitSent(sent, round);
    round.await(options.timeout());
    // A store that commits in batches of its own choosing (SQLite in embedded mode, where jobs
    // do not wait for it) may still hold the round's last runs: their writing is the mode's
    // work, so it counts in the mode's time and CPU, not in the bare loop's that follows.
    try {
      angora.runs().flush().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("round " + round.tag() + ": runs not written", e);
    }
    return System.nanoTime() - start;
  }

  /** At most {@code concurrency} messages unfinished at a time, so latency is not queueing. */
  private Round closedLoop(Angora angora, RunRecorder recorder, DeploymentMode mode)
      throws InterruptedException {
    Semaphore slots = new Semaphore(options.concurrency());
    Round round = new Round(tag(mode) + "-latency", options.latencyJobs(), slots);
    recorder.begin(round);
    List<CompletableFuture<?>> sent = new ArrayList<>(options.latencyJobs());
    for (int i = 0; i < options.latencyJobs(); i++) {
      if (!slots.tryAcquire(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("round " + round.tag() + ": no run finished within "
            + options.timeout());
      }
      sent.add(angora.sendAsync(Deployment.TRIGGER, round.tag(), null));
    }
    awaitSent(sent, round);
    round.await(options.timeout());
    return round;
  }

  private void awaitSent(List<CompletableFuture<?>> sent, Round round)
      throws InterruptedException {
    try {
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
          .get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("round " + round.tag() + ": messages not accepted", e);
    }
  }

  private String tag(@org.jspecify.annotations.Nullable DeploymentMode mode) {
    return (mode == null ? "warmup" : mode.name().toLowerCase(java.util.Locale.ROOT)) + "-"
        + (++roundNumber) + "-" + Instant.now(clock).toEpochMilli();
  }

  /** Time this JVM's JIT compilers spent so far, in milliseconds (0 when not reported). */
  private static long jitMillis() {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime() : 0;
  }

  private double perJob(long cpuNanos) {
    return cpuNanos / 1e3 / options.jobs();
  }

  private static double perSecond(int jobs, long nanos) {
    return jobs / (nanos / 1e9);
  }

}
