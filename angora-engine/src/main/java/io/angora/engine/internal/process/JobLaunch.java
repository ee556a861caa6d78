package io.angora.engine.internal.process;

import io.angora.api.Cancellation;
import io.angora.api.Job;
import io.angora.api.JobEvent.JobFinished;
import io.angora.api.OutputChunk;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One launch of a job's command, from building its environment to its outcome. Used by the one
 * thread that runs the job, and by whoever cancels it.
 */
public final class JobLaunch {
  private static final Logger LOG = LoggerFactory.getLogger(JobLaunch.class);
  private static final Stop EXITED = new Stop(RunStatus.SUCCEEDED, null);
  /** Jobs read nothing: a job waiting for input ends at once instead of hanging. */
  private static final ProcessBuilder.Redirect NO_INPUT =
      ProcessBuilder.Redirect.from(new File("/dev/null"));

  private final LaunchContext context;
  private final LaunchSettings settings;
  private final Job job;
  private final TaskDefinition task;
  private final String worker;
  private final Instant startedAt;
  /** Why the job was stopped, or {@link #EXITED} once it can no longer be; null until then. */
  private final AtomicReference<@Nullable Stop> stop = new AtomicReference<>();

  /**
   * Prepares the launch of a job.
   *
   * @param context how jobs are launched, and where the running ones' output is found
   * @param job the job
   * @param worker the worker's name, reported in the outcome
   */
  public JobLaunch(LaunchContext context, Job job, String worker) {
    this.context = context;
    this.settings = context.settings();
    this.job = job;
    this.task = job.task();
    this.worker = worker;
    this.startedAt = settings.clock().instant();
  }

  /**
   * Runs the command to its end on the calling thread.
   *
   * @param cancellation stops the job when cancelled
   * @return the outcome; never throws for a failure of the job
   */
  public JobFinished run(Cancellation cancellation) {
    if (cancellation.isCancelled()) {
      return finished(RunStatus.CANCELLED, null, cancellation.reason(), "");
    }
    OutputTail tail = new OutputTail(settings.outputTailBytes());
    context.started(job.runId(), tail);
    try {
      return launch(tail, cancellation);
    } finally {
      tail.end();
      context.ended(job.runId(), tail);
    }
  }

  private JobFinished launch(OutputTail tail, Cancellation cancellation) {
    JobVariables environment;
    List<String> words;
    OutputStream log = null;
    try {
      environment = context.environment(task).forJob(job);
      words = CommandLine.split(task.name(), task.command(), environment.lookup());
      if (words.isEmpty()) {
        return finished(RunStatus.FAILED, null, "task '" + task.name()
            + "': the command is empty once its variables are expanded", "");
      }
      String logDirectory = task.log();
      if (logDirectory != null) {
        Path file = LogFile.resolve(CommandLine.expand(logDirectory, settings.logVariables()),
            task.name(), settings.workingDirectory());
        log = openLog(file);
      }
    } catch (CommandSyntaxException | IllegalArgumentException e) {
      // IllegalArgumentException: a NUL or '=' where the environment cannot hold it, a log path
      return finished(RunStatus.FAILED, null, e.getMessage(), "");
    } catch (IOException e) {
      return finished(RunStatus.FAILED, null, e.getMessage(), "");
    }
    return context.spawns() ? spawn(words, environment, log, tail, cancellation)
        : startWithJdk(words, environment, log, tail, cancellation);
  }

  private JobFinished spawn(List<String> words, JobVariables environment,
      @Nullable OutputStream log, OutputTail tail, Cancellation cancellation) {
    SpawnedProcess process;
    try {
      process = SpawnLauncher.start(words, environment.pairs(), settings.workingDirectory(),
          describeRun());
    } catch (CannotStartException e) {
      close(log);
      return finished(RunStatus.FAILED, null, e.getMessage(), "");
    }
    ProcessTree tree = new ProcessTree(process, settings.killGrace());
    try {
      return awaitSpawned(process, tree, log, tail, cancellation);
    } catch (RuntimeException | Error e) {
      // Whatever broke, the process must not run on unsupervised.
      tree.kill();
      process.closeLog();
      process.reap();
      if (e instanceof Error) {
        throw e;
      }
      LOG.warn("{}: supervising its process failed; the process was killed", describeRun(), e);
      return finished(RunStatus.FAILED, null, "supervising the process failed: " + e, "");
    }
  }

  private JobFinished awaitSpawned(SpawnedProcess process, ProcessTree tree,
      @Nullable OutputStream log, OutputTail tail, Cancellation cancellation) {
    cancellation.onCancel(() -> {
      if (requestStop(RunStatus.CANCELLED, cancellation.reason())) {
        killAside(tree);
      }
    });
    Duration grace = settings.killGrace();
    Duration timeout = task.timeout();
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    try {
      boolean exited = process.readUntilExit(tail, log, deadline);
      if (!exited) {
        if (requestStop(RunStatus.TIMED_OUT, "timed out after " + describe(timeout))) {
          killAside(tree); // on another thread: its output is read on meanwhile
        }
        process.readUntilExit(tail, log, Long.MAX_VALUE);
      }
      if (!stop.compareAndSet(null, EXITED)) {
        tree.awaitKilled(grace.plus(grace).plusSeconds(1));
      }
      if (!process.readRest(tail, System.nanoTime() + grace.toNanos())) {
        LOG.info("{}: its output is still open after its process ended (a background process"
            + " holds it); the run ends without the rest", describeRun());
      }
    } catch (InterruptedException e) {
      requestStop(RunStatus.CANCELLED, "interrupted");
      tree.kill();
      Thread.currentThread().interrupt();
    } finally {
      process.closeLog();
    }
    int exitCode = process.reap();
    return outcome(exitCode, tail);
  }

  private JobFinished startWithJdk(List<String> words, JobVariables environment,
      @Nullable OutputStream log, OutputTail tail, Cancellation cancellation) {
    ProcessBuilder builder = new ProcessBuilder();
    Map<String, String> variables = builder.environment();
    variables.clear();
    variables.putAll(environment.asMap());
    Path directory = settings.workingDirectory();
    builder.command(words).directory(directory == null ? null : directory.toFile())
        .redirectInput(NO_INPUT);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      close(log);
      return finished(RunStatus.FAILED, null, cannotStart(words.get(0), e), "");
    }
    try {
      return await(process, log, tail, cancellation);
    } catch (RuntimeException | Error e) {
      // Whatever broke, the process must not run on unsupervised.
      new ProcessTree(process, settings.killGrace()).kill();
      close(log);
      if (e instanceof Error) {
        throw e;
      }
      LOG.warn("{}: supervising its process failed; the process was killed", describeRun(), e);
      return finished(RunStatus.FAILED, null, "supervising the process failed: " + e, "");
    }
  }

  private JobFinished await(Process process, @Nullable OutputStream log, OutputTail tail,
      Cancellation cancellation) {
    CountDownLatch drained = new CountDownLatch(2);
    ProcessTree tree = new ProcessTree(process, settings.killGrace());
    String run = describeRun();
    try {
      settings.outputReaders().execute(
          new StreamPump("stdout of " + run, OutputChunk.Stream.STDOUT, process.getInputStream(), tail, log, drained));
    } catch (RejectedExecutionException e) {
      close(log);
      tree.kill();
      return finished(RunStatus.FAILED, null, run + ": the executor is closed", "");
    }
    try {
      settings.outputReaders().execute(
          new StreamPump("stderr of " + run, OutputChunk.Stream.STDERR,
              process.getErrorStream(), tail, null, drained));
    } catch (RejectedExecutionException e) {
      tree.kill();
      return finished(RunStatus.FAILED, null, run + ": the executor is closed", "");
    }
    cancellation.onCancel(() -> {
      if (requestStop(RunStatus.CANCELLED, cancellation.reason())) {
        killAside(tree);
      }
    });
    Duration grace = settings.killGrace();
    Integer exitCode = null;
    try {
      Duration timeout = task.timeout();
      boolean exited = timeout == null ? waitFor(process) : process.waitFor(timeout.toNanos(),
          TimeUnit.NANOSECONDS);
      if (!exited && requestStop(RunStatus.TIMED_OUT, "timed out after " + describe(timeout))) {
        tree.kill();
      }
      if (stop.compareAndSet(null, EXITED)) {
        exitCode = process.exitValue(); // exited by itself, and no stop can come any more
      } else {
        process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
        tree.awaitKilled(grace.plus(grace).plusSeconds(1));
      }
      if (!drained.await(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.info("{}: its output is still open after its process ended (a background process"
            + " holds it); the run ends without the rest", run);
      }
    } catch (InterruptedException e) {
      requestStop(RunStatus.CANCELLED, "interrupted");
      tree.kill();
      Thread.currentThread().interrupt();
    }
    return outcome(exitCode, tail);
  }

  /** The outcome once the process is gone: stopped from outside, or exited by itself. */
  private JobFinished outcome(@Nullable Integer exitCode, OutputTail tail) {
    Stop how = Objects.requireNonNull(stop.get());
    if (how != EXITED) {
      return finished(how.status(), null, how.reason(), tail.toString());
    }
    return exitCode != null && exitCode == 0
        ? finished(RunStatus.SUCCEEDED, 0, null, tail.toString())
        : finished(RunStatus.FAILED, exitCode, "exit code " + exitCode, tail.toString());
  }

  private String describeRun() {
    return "run " + job.runId() + " (task " + task.name() + ")";
  }

  private static boolean waitFor(Process process) throws InterruptedException {
    process.waitFor();
    return true;
  }

  private boolean requestStop(RunStatus status, @Nullable String reason) {
    return stop.compareAndSet(null, new Stop(status, reason));
  }

  /** Kills the tree on a reader thread: cancelling must not block the canceller. */
  private void killAside(ProcessTree tree) {
    try {
      settings.outputReaders().execute(tree::kill);
    } catch (RejectedExecutionException e) {
      tree.kill();
    }
  }

  private OutputStream openLog(Path file) throws IOException {
    try {
      return LogFile.openForAppend(file);
    } catch (IOException e) {
      throw new IOException("task '" + task.name() + "': cannot open log file " + file + ": "
          + e, e);
    }
  }

  private void close(@Nullable OutputStream log) {
    if (log != null) {
      try {
        log.close();
      } catch (IOException e) {
        LOG.warn("task '{}': cannot close its log file", task.name(), e);
      }
    }
  }

  private JobFinished finished(RunStatus status, @Nullable Integer exitCode,
      @Nullable String reason, String output) {
    return new JobFinished(job.runId(), task.name(), status, exitCode, reason, output, worker,
        startedAt, settings.clock().instant());
  }

  /** Words the failure to start a program as {@code cannot start 'x': No such file...}. */
  static String cannotStart(String program, @Nullable Path directory, String detail) {
    return "cannot start '" + program + "'"
        + (directory == null ? "" : " in directory '" + directory + "'") + ": " + detail;
  }

  /** Words the JDK's failure to start a program like {@link #cannotStart(String, Path, String)}. */
  static String cannotStart(String program, IOException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String detail = String.valueOf(cause.getMessage()).replaceFirst("^error=\\d+, ", "");
    String message = String.valueOf(e.getMessage());
    int in = message.indexOf("(in directory \"");
    String where = "";
    if (in >= 0) {
      int end = message.indexOf("\")", in);
      where = " in directory '" + message.substring(in + 15, end < 0 ? message.length() : end)
          + "'";
    }
    return "cannot start '" + program + "'" + where + ": " + detail;
  }

  /** Writes a duration the way task files do: {@code 2s}, {@code 1m30s}, {@code 1500ms}. */
  static String describe(@Nullable Duration duration) {
    if (duration == null) {
      return "";
    }
    if (duration.toNanosPart() != 0) {
      return duration.toMillis() + "ms";
    }
    long seconds = duration.getSeconds();
    StringBuilder text = new StringBuilder();
    if (seconds >= 3600) {
      text.append(seconds / 3600).append('h');
    }
    if (seconds % 3600 >= 60) {
      text.append(seconds % 3600 / 60).append('m');
    }
    if (seconds % 60 != 0 || text.length() == 0) {
      text.append(seconds % 60).append('s');
    }
    return text.toString();
  }

  /** How a job was stopped from outside. */
  private record Stop(RunStatus status, @Nullable String reason) {}
}
