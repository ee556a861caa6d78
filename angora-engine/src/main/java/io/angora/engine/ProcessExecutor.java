package io.angora.engine;

import io.angora.api.Cancellation;
import io.angora.api.Executor;
import io.angora.api.Job;
import io.angora.api.JobEvent.JobFinished;
import io.angora.api.LiveOutput;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import io.angora.api.Subscription;
import io.angora.engine.internal.process.JobLaunch;
import io.angora.engine.internal.process.LaunchContext;
import io.angora.engine.internal.process.LaunchSettings;
import io.angora.engine.internal.process.SpawnLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs a job's command as a Linux process, without a shell.
 *
 * <p>The command is split into words like a POSIX shell does (quotes, backslashes; no globbing,
 * pipes, redirections or command substitution), with {@code $VAR} and {@code ${VAR}} expanded
 * from the job's environment; an unknown variable is left as written. The job's environment is
 * the worker's without Angora's own secrets (see below), plus the task's {@code env} (values
 * expanded too), plus {@code ANGORA_TASK}, {@code ANGORA_RUN_ID}, {@code ANGORA_WORKFLOW_ID},
 * {@code ANGORA_MESSAGE}, {@code ANGORA_PAYLOAD} (empty without a payload) and
 * {@code ANGORA_ATTEMPT}.
 *
 * <p>Secrets: jobs do not inherit the worker's {@code ANGORA_} variables that hold or point to a
 * secret: names containing {@code TOKEN}, {@code PASSWORD} or {@code SECRET} or ending in
 * {@code _FILE}, {@code _URI} or {@code _URL} ({@code ANGORA_TOKEN}, {@code ANGORA_AMQP_URI},
 * {@code ANGORA_AMQP_PASSWORD_FILE}, ...). A task that needs one passes it in its {@code env}
 * ({@code TOKEN: $ANGORA_TOKEN}); the builder's {@link Builder#environment} variables are
 * always passed.
 *
 * <p>Message text and payload reach the job only through those variables: they are never
 * spliced into the command line. Writing {@code "$ANGORA_PAYLOAD"} or {@code $ANGORA_PAYLOAD}
 * in a command gives exactly one argument whatever the payload holds (spaces, quotes,
 * {@code $(...)}, {@code ;}): an expanded value is never split again nor parsed.
 *
 * <p>Outcome: exit code 0 is {@code SUCCEEDED}, any other {@code FAILED} with reason
 * {@code exit code N}; a command that cannot start (not found, not executable, missing working
 * directory) is {@code FAILED} with the reason; past the task's {@code timeout} the whole process
 * tree is killed ({@code SIGTERM}, then {@code SIGKILL} after a grace period) and the run is
 * {@code TIMED_OUT}; a {@link Cancellation} kills the tree the same way and the run is
 * {@code CANCELLED}. Standard output is appended to {@code <log>/<task>.log} when the task has a
 * {@code log} directory (created when missing); the run's output is the newest part of standard
 * output and error, interleaved as they came. The {@code log} directory is expanded from
 * Angora's own environment (the worker's plus the builder's {@link Builder#environment}), never
 * from the job's, whose {@code ANGORA_MESSAGE}, {@code ANGORA_PAYLOAD} and
 * {@code ANGORA_WORKFLOW_ID} come from the sender; the log file is created {@code 0640} and never
 * written through a symbolic link.
 *
 * <p>The run ends when the process has exited and its output is closed; output still held open
 * by a process it left in the background is awaited for the grace period only.
 *
 * <p>Launchers ({@link Builder#launcher}): {@link Launcher#POSIX_SPAWN} starts the command with
 * the C library's {@code posix_spawnp} through JNA (Linux; one {@code vfork}-like clone and one
 * {@code exec}, as fast on JDK 25 as {@code VFORK} on JDK 17), in its own process group, and
 * reads both output pipes on the job's own thread with {@code poll}: no other thread per job.
 * {@link Launcher#JDK} uses {@link ProcessBuilder} (the JVM's
 * {@code jdk.lang.Process.launchMechanism}) and two pooled threads that read each running
 * job's output. {@link Launcher#AUTO}, the default, is {@code POSIX_SPAWN} where it can run
 * and the JDK's elsewhere. Both give the same outcomes, environment and kill guarantees.
 *
 * <p>Live output ({@link LiveOutput}): the output a running job has produced so far, tagged by
 * stream, and a way to follow it; bounded by the output tail; free for jobs nobody follows.
 *
 * <p>Thread-safe: one instance serves all of a worker's concurrent jobs; {@link #close()}
 * stops the reader pool this executor created.
 */
public final class ProcessExecutor implements Executor, LiveOutput, AutoCloseable {

  /** The default size of a run's output tail: 64 KiB. */
  public static final int DEFAULT_OUTPUT_TAIL_BYTES = 64 * 1024;

  /** The default time a killed process tree gets to exit before {@code SIGKILL}. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(2);

  /** How an executor starts processes. */
  public enum Launcher {
    /** {@link #POSIX_SPAWN} where it can run, else {@link #JDK}. */
    AUTO,
    /** The C library's {@code posix_spawnp} through JNA; Linux with glibc 2.34 or later. */
    POSIX_SPAWN,
    /** {@link ProcessBuilder}, as the JVM's {@code jdk.lang.Process.launchMechanism} says. */
    JDK;

    /**
     * Parses a launcher's name as given on a command line.
     *
     * @param name {@code auto}, {@code posix_spawn} (or {@code posix-spawn}) or {@code jdk}
     * @return the launcher
     * @throws IllegalArgumentException for another name
     */
    public static Launcher parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT).replace('-', '_')) {
        case "auto" -> AUTO;
        case "posix_spawn" -> POSIX_SPAWN;
        case "jdk" -> JDK;
        default -> throw new IllegalArgumentException("unknown launcher '" + name
            + "': auto, posix_spawn or jdk");
      };
    }
  }

  private final LaunchContext context;
  private final Launcher launcher;
  private final @Nullable ExecutorService ownedReaders;

  private ProcessExecutor(LaunchContext context, Launcher launcher,
      @Nullable ExecutorService ownedReaders) {
    this.context = context;
    this.launcher = launcher;
    this.ownedReaders = ownedReaders;
  }

  /**
   * Why the {@code posix_spawn} launcher cannot run in this JVM.
   *
   * @return the reason, or empty when it can
   */
  public static Optional<String> posixSpawnUnavailable() {
    try {
      return SpawnLauncher.unavailable();
    } catch (LinkageError e) {
      return Optional.of("posix_spawn launcher: JNA cannot load: " + e);
    }
  }

  /**
   * Creates an executor with the defaults: the worker's environment, its working directory,
   * a 64 KiB output tail, a 2 s kill grace and the system clock.
   *
   * @return a new executor
   */
  public static ProcessExecutor create() {
    return builder().build();
  }

  /**
   * Starts configuring an executor.
   *
   * @return a builder with the defaults of {@link #create()}
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public JobFinished execute(Job job, String worker, Cancellation cancellation) {
    return new JobLaunch(context, job, worker).run(cancellation);
  }

  /** The launcher in use: never {@link Launcher#AUTO}, which is resolved when built. */
  public Launcher launcher() {
    return launcher;
  }

  @Override
  public Optional<OutputSnapshot> liveOutput(String runId) {
    return context.output(runId).map(tail -> tail.snapshot(runId));
  }

  @Override
  public Optional<Subscription> followOutput(String runId, OutputListener listener) {
    Objects.requireNonNull(listener, "listener");
    return context.output(runId).map(tail -> tail.follow(listener));
  }

  /**
   * Stops the output-reading threads this executor created (not an injected pool), after the
   * running jobs' output is read. Jobs started afterwards fail.
   */
  @Override
  public void close() {
    if (ownedReaders != null) {
      ownedReaders.shutdown();
    }
  }

  /** Configures a {@link ProcessExecutor}; not thread-safe. */
  public static final class Builder {
    private int outputTailBytes = DEFAULT_OUTPUT_TAIL_BYTES;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean inheritEnvironment = true;
    private @Nullable Path workingDirectory;
    private Duration killGrace = DEFAULT_KILL_GRACE;
    private Clock clock = Clock.systemUTC();
    private java.util.concurrent.@Nullable Executor outputReaders;
    private Launcher launcher = Launcher.AUTO;

    private Builder() {}

    /**
     * Sets how much output a run keeps: its newest bytes.
     *
     * @param bytes the limit, at least 1; default 64 KiB
     * @return this builder
     */
    public Builder outputTailBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("outputTailBytes must be at least 1: " + bytes);
      }
      this.outputTailBytes = bytes;
      return this;
    }

    /**
     * Adds variables to every job's environment (before the task's own {@code env}).
     *
     * @param variables names and values
     * @return this builder
     */
    public Builder environment(Map<String, String> variables) {
      this.environment.putAll(variables);
      return this;
    }

    /**
     * Sets whether jobs start from the worker's environment.
     *
     * @param inherit false to start from an empty environment; default true
     * @return this builder
     */
    public Builder inheritEnvironment(boolean inherit) {
      this.inheritEnvironment = inherit;
      return this;
    }

    /**
     * Sets where jobs run; relative {@code log} directories are taken from there too.
     *
     * @param directory the working directory; default the worker's
     * @return this builder
     */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Sets how long a killed process tree gets to exit after {@code SIGTERM} before
     * {@code SIGKILL}; also how long output left open by a background process is awaited.
     *
     * @param grace the grace period, not negative; default 2 s
     * @return this builder
     */
    public Builder killGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("killGrace must not be negative: " + grace);
      }
      this.killGrace = grace;
      return this;
    }

    /**
     * Sets the clock giving runs' start and end times.
     *
     * @param clock the clock; default the system UTC clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how processes are started.
     *
     * @param value the launcher; default {@link Launcher#AUTO}
     * @return this builder
     */
    public Builder launcher(Launcher value) {
      this.launcher = Objects.requireNonNull(value, "launcher");
      return this;
    }

    /**
     * Sets the threads that read jobs' output with the {@link Launcher#JDK} launcher: two tasks
     * per running job, each lasting as long as the job, so the executor must run them at once
     * (a cached pool, or at least two threads per concurrent job); with either launcher, a
     * cancelled job's process tree is killed on one of them. Default: a cached pool of daemon threads named
     * {@code angora-output-N}, owned and closed by the executor.
     *
     * @param readers the executor to use; not closed by {@link ProcessExecutor#close()}
     * @return this builder
     */
    public Builder outputReaders(java.util.concurrent.Executor readers) {
      this.outputReaders = Objects.requireNonNull(readers, "readers");
      return this;
    }

    /**
     * Builds the executor.
     *
     * @return a new executor
     * @throws IllegalStateException when {@link Launcher#POSIX_SPAWN} was asked for and
     *     cannot run here; the message says why
     */
    public ProcessExecutor build() {
      Launcher resolved = resolve(launcher);
      ExecutorService owned = outputReaders == null ? newReaderPool() : null;
      java.util.concurrent.Executor readers = owned != null ? owned : outputReaders;
      Map<String, String> logVariables = new HashMap<>(System.getenv());
      logVariables.putAll(environment);
      LaunchSettings settings = new LaunchSettings(outputTailBytes, environment, logVariables,
          inheritEnvironment, workingDirectory, killGrace, clock, Objects.requireNonNull(readers));
      return new ProcessExecutor(new LaunchContext(settings, resolved == Launcher.POSIX_SPAWN),
          resolved, owned);
    }

    private static Launcher resolve(Launcher asked) {
      if (asked == Launcher.JDK) {
        return Launcher.JDK;
      }
      Optional<String> unavailable = posixSpawnUnavailable();
      if (unavailable.isEmpty()) {
        return Launcher.POSIX_SPAWN;
      }
      if (asked == Launcher.POSIX_SPAWN) {
        throw new IllegalStateException(unavailable.get());
      }
      return Launcher.JDK;
    }

    /** Threads are kept a while so that back-to-back jobs reuse them instead of creating. */
    private static ExecutorService newReaderPool() {
      AtomicInteger count = new AtomicInteger();
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
          new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "angora-output-" + count.incrementAndGet());
            thread.setDaemon(true); // an abandoned executor must not keep the JVM alive
            return thread;
          });
    }
  }
}
