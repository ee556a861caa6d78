package io.angora.engine;

import io.angora.api.Executor;
import io.angora.api.RunListener;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import io.angora.api.Transport;
import io.angora.engine.internal.coordinator.Backoff;
import io.angora.engine.schedule.ScheduleSource;
import io.angora.engine.schedule.YamlScheduleSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Describes an {@link Angora}: every part it is made of, with defaults; not thread-safe. */
public final class AngoraBuilder {
  @Nullable TaskSource taskSource;
  @Nullable Path taskDirectory;
  @Nullable ScheduleSource schedules;
  Duration scheduleGrace = Duration.ofMinutes(1);
  final List<TaskDefinition> codeTasks = new ArrayList<>();
  @Nullable Transport transport;
  @Nullable RunStore store;
  @Nullable Executor executor;
  Role role = Role.ALL;
  int concurrency = Math.max(2, Runtime.getRuntime().availableProcessors());
  Duration replayInitial = Duration.ofSeconds(1);
  Duration replayMax = Duration.ofMinutes(5);
  Duration grace = Duration.ofSeconds(30);
  Duration heartbeat = Duration.ofSeconds(5);
  @Nullable Duration leaseLength;
  Duration startReportDelay = Duration.ofMillis(10);
  Clock clock = Clock.systemUTC();
  @Nullable String workerName;
  final List<RunListener> listeners = new ArrayList<>();

  AngoraBuilder() {}

  /**
   * Reads tasks from a source; a {@link YamlTaskSource} also brings the schedules of its
   * directory's {@code schedules.yml}, unless {@link #schedules} says otherwise.
   *
   * @param source the source
   * @return this builder
   */
  public AngoraBuilder tasks(TaskSource source) {
    this.taskSource = source;
    this.taskDirectory = source instanceof YamlTaskSource yaml ? yaml.directory() : null;
    return this;
  }

  /**
   * Reads tasks from every {@code *.yml} file of a directory, and schedules from its
   * {@code schedules.yml} unless {@link #schedules} says otherwise.
   *
   * @param directory the directory
   * @return this builder
   */
  public AngoraBuilder tasks(Path directory) {
    return tasks(YamlTaskSource.directory(directory));
  }

  /**
   * Reads schedules from a source (default: {@code schedules.yml} of the directory of a
   * {@link YamlTaskSource} given to {@link #tasks}, else none). Only a coordinator fires them.
   *
   * @param source the source
   * @return this builder
   */
  public AngoraBuilder schedules(ScheduleSource source) {
    this.schedules = source;
    return this;
  }

  /**
   * Sets how late a fire time may still fire as on time (default 1 minute); later, it is a
   * misfire, handled by the schedule's policy.
   *
   * @param value the grace period, zero or more
   * @return this builder
   */
  public AngoraBuilder scheduleGrace(Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("schedule grace must not be negative: " + value);
    }
    this.scheduleGrace = value;
    return this;
  }

  /**
   * Adds tasks defined in code, in force alongside those of the task source.
   *
   * @param tasks the tasks
   * @return this builder
   */
  public AngoraBuilder task(TaskDefinition... tasks) {
    codeTasks.addAll(List.of(tasks));
    return this;
  }

  /**
   * Sets the transport (default: {@link InMemoryTransport}).
   *
   * @param value the transport; closed with the engine
   * @return this builder
   */
  public AngoraBuilder transport(Transport value) {
    this.transport = value;
    return this;
  }

  /**
   * Sets the run store (default: {@link InMemoryRunStore}).
   *
   * @param value the store; closed with the engine
   * @return this builder
   */
  public AngoraBuilder runStore(RunStore value) {
    this.store = value;
    return this;
  }

  /**
   * Sets the executor (default: {@link ProcessExecutor}).
   *
   * @param value the executor
   * @return this builder
   */
  public AngoraBuilder executor(Executor value) {
    this.executor = value;
    return this;
  }

  /**
   * Sets the role (default {@link Role#ALL}).
   *
   * @param value the role
   * @return this builder
   */
  public AngoraBuilder role(Role value) {
    this.role = value;
    return this;
  }

  /**
   * Sets how many jobs this process runs at once (default: the number of CPUs, at least 2).
   *
   * @param jobs 1 or more
   * @return this builder
   */
  public AngoraBuilder concurrency(int jobs) {
    if (jobs < 1) {
      throw new IllegalArgumentException("concurrency must be 1 or more: " + jobs);
    }
    this.concurrency = jobs;
    return this;
  }

  /**
   * Sets the replay backoff: the first replay after {@code initial}, doubling per attempt, at
   * most {@code max} (defaults 1 s and 5 min).
   *
   * @param initial the first delay
   * @param max the cap
   * @return this builder
   */
  public AngoraBuilder replayBackoff(Duration initial, Duration max) {
    new Backoff(initial, max);
    this.replayInitial = initial;
    this.replayMax = max;
    return this;
  }

  /**
   * Sets how long running jobs may go on after {@link Angora#close()} (default 30 s).
   *
   * @param value the grace period
   * @return this builder
   */
  public AngoraBuilder shutdownGrace(Duration value) {
    this.grace = value;
    return this;
  }

  /**
   * Sets how often workers report they are alive (default 5 s).
   *
   * @param value the interval
   * @return this builder
   */
  public AngoraBuilder heartbeat(Duration value) {
    this.heartbeat = value;
    return this;
  }

  /**
   * Sets how long a running job's lease lasts without a heartbeat renewing it (default three
   * heartbeat intervals). With a durable transport, a RUNNING run whose worker sent no heartbeat
   * listing it for this long (killed, or cut off) is marked interrupted and replayed per its
   * task's policy; a late outcome from that worker is then ignored. Set the same value on the
   * coordinator and the workers.
   *
   * @param value the lease length, longer than the heartbeat interval
   * @return this builder
   */
  public AngoraBuilder leaseLength(Duration value) {
    this.leaseLength = value;
    return this;
  }

  /**
   * Sets how long a job runs before its worker reports its start (default 10 ms). A job that
   * ends sooner reports only its outcome, which saves a publication per quick job.
   *
   * @param value the delay, zero to report every start at once
   * @return this builder
   */
  public AngoraBuilder startReportDelay(Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("start report delay must not be negative: " + value);
    }
    this.startReportDelay = value;
    return this;
  }

  Duration leaseLength() {
    Duration lease = leaseLength != null ? leaseLength : heartbeat.multipliedBy(3);
    if (lease.compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException("lease length " + lease
          + " must be longer than the heartbeat interval " + heartbeat);
    }
    return lease;
  }

  /**
   * Sets the clock (default UTC system clock).
   *
   * @param value the clock
   * @return this builder
   */
  public AngoraBuilder clock(Clock value) {
    this.clock = value;
    return this;
  }

  /**
   * Names this process's worker (default host, pid and a random suffix).
   *
   * @param name the worker's name
   * @return this builder
   */
  public AngoraBuilder workerName(String name) {
    this.workerName = name;
    return this;
  }

  /**
   * Adds a listener of runs and messages.
   *
   * @param listener the listener
   * @return this builder
   */
  public AngoraBuilder listener(RunListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Builds the engine; {@link Angora#start()} starts it. */
  public Angora build() {
    return new Angora(this);
  }

  @Nullable ScheduleSource scheduleSource() {
    if (schedules != null) {
      return schedules;
    }
    return taskDirectory != null ? YamlScheduleSource.inDirectory(taskDirectory) : null;
  }

  TaskSource source() {
    TaskSource base = taskSource != null ? taskSource : TaskSource.of(List.of());
    if (codeTasks.isEmpty()) {
      return base;
    }
    List<TaskDefinition> extra = List.copyOf(codeTasks);
    return new TaskSource() {
      @Override
      public List<TaskDefinition> load() {
        List<TaskDefinition> all = new ArrayList<>(base.load());
        all.addAll(extra);
        return all;
      }

      @Override
      public String description() {
        return taskSource != null ? base.description() + " and code" : "code";
      }
    };
  }
}
