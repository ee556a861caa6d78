package io.angora.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A task: a command run when a message matching one of its triggers arrives.
 *
 * @param name unique name across all task files
 * @param triggers one or more message patterns; {@code *} matches one word, {@code #} zero or
 *     more words, words separated by dots (AMQP topic rules)
 * @param command the command line, split into words like a POSIX shell does and run without a
 *     shell; {@code $VAR} and {@code ${VAR}} are expanded from the environment
 * @param log directory whose {@code <name>.log} receives the command's standard output, or null
 * @param messages messages sent when a run of this task succeeds
 * @param replay how many more attempts a failed run gets: {@link #UNLIMITED_REPLAY} for
 *     unlimited (the original's default), 0 for never
 * @param parentSuccess whether the task runs only when the latest run of every parent task
 *     succeeded
 * @param timeout how long a run may take before its whole process tree is killed, or null; at
 *     most {@link #MAX_TIMEOUT}
 * @param env variables added to the job's environment
 * @param onFailure messages sent when a run has failed for good ({@link RunStatus#FAILED} or
 *     {@link RunStatus#TIMED_OUT} with no replay left; cancelled and skipped runs are not
 *     failures), in the same workflow with the failed run as parent
 * @param flow concurrency limits, rate and priority; {@link FlowControl#NONE} for none
 * @param origin where the task was defined, e.g. {@code tasks/demo.yml:12}, or null
 */
public record TaskDefinition(
    String name,
    List<String> triggers,
    String command,
    @Nullable String log,
    List<String> messages,
    int replay,
    boolean parentSuccess,
    @Nullable Duration timeout,
    Map<String, String> env,
    List<String> onFailure,
    FlowControl flow,
    @Nullable String origin) {

  /** The {@link #replay} value meaning: replay a failing run without limit (with backoff). */
  public static final int UNLIMITED_REPLAY = -1;

  /**
   * The longest {@link #timeout}: 30 days. Longer ones are typing mistakes, and a duration past
   * what a clock can count in nanoseconds (some 292 years) cannot be waited for at all.
   */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

  /** Validates and copies the collections. */
  public TaskDefinition {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("task name must not be empty");
    }
    triggers = List.copyOf(triggers);
    if (triggers.isEmpty()) {
      throw new IllegalArgumentException("task '" + name + "' needs at least one trigger");
    }
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("task '" + name + "' needs a command");
    }
    messages = List.copyOf(messages);
    if (replay < UNLIMITED_REPLAY) {
      throw new IllegalArgumentException("task '" + name + "': replay must be 0 or more");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("task '" + name + "': timeout must be positive");
    }
    if (timeout != null && timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("task '" + name + "': timeout " + timeout
          + " is longer than the limit of 30 days (720h)");
    }
    env = Map.copyOf(env);
    onFailure = List.copyOf(onFailure);
    Objects.requireNonNull(flow, "flow");
  }

  /**
   * Starts building a task defined in code.
   *
   * @param name the task's unique name
   * @return a builder with no triggers, no command, unlimited replay
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Whether a failed run of this task is replayed without limit. */
  public boolean replaysForever() {
    return replay == UNLIMITED_REPLAY;
  }

  /** Builds a {@link TaskDefinition}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final List<String> triggers = new ArrayList<>();
    private @Nullable String command;
    private @Nullable String log;
    private final List<String> messages = new ArrayList<>();
    private int replay = UNLIMITED_REPLAY;
    private boolean parentSuccess;
    private @Nullable Duration timeout;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> onFailure = new ArrayList<>();
    private int concurrency = FlowControl.NO_LIMIT;
    private FlowControl.@Nullable Group group;
    private FlowControl.Overflow overflow = FlowControl.Overflow.QUEUE;
    private FlowControl.@Nullable Rate rate;
    private int priority;
    private @Nullable String origin;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Adds triggers.
     *
     * @param patterns message patterns
     * @return this builder
     */
    public Builder triggers(String... patterns) {
      triggers.addAll(List.of(patterns));
      return this;
    }

    /**
     * Sets the command line.
     *
     * @param commandLine the command, split like a POSIX shell would
     * @return this builder
     */
    public Builder command(String commandLine) {
      this.command = commandLine;
      return this;
    }

    /**
     * Sets the log directory.
     *
     * @param directory where {@code <name>.log} is appended to
     * @return this builder
     */
    public Builder log(String directory) {
      this.log = directory;
      return this;
    }

    /**
     * Adds messages sent on success.
     *
     * @param texts the messages
     * @return this builder
     */
    public Builder messages(String... texts) {
      messages.addAll(List.of(texts));
      return this;
    }

    /**
     * Sets the number of replays of a failed run.
     *
     * @param attempts more attempts after a failure, 0 for none, {@link #UNLIMITED_REPLAY}
     * @return this builder
     */
    public Builder replay(int attempts) {
      this.replay = attempts;
      return this;
    }

    /**
     * Sets whether all parents must have succeeded.
     *
     * @param required true to check parents before running
     * @return this builder
     */
    public Builder parentSuccess(boolean required) {
      this.parentSuccess = required;
      return this;
    }

    /**
     * Sets the timeout.
     *
     * @param limit how long a run may take
     * @return this builder
     */
    public Builder timeout(Duration limit) {
      this.timeout = limit;
      return this;
    }

    /**
     * Adds an environment variable.
     *
     * @param key variable name
     * @param value its value
     * @return this builder
     */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /**
     * Adds messages sent when a run has failed for good (no replay left).
     *
     * @param texts the messages
     * @return this builder
     */
    public Builder onFailure(String... texts) {
      onFailure.addAll(List.of(texts));
      return this;
    }

    /**
     * Sets how many runs of the task may run at once, installation-wide.
     *
     * @param limit 1 or more, or {@link FlowControl#NO_LIMIT}
     * @return this builder
     */
    public Builder concurrency(int limit) {
      this.concurrency = limit;
      return this;
    }

    /**
     * Puts the task in a concurrency group: at most {@code limit} runs of all the group's tasks
     * at once. Every task of the group must give the same limit.
     *
     * @param name the group's name
     * @param limit the group's limit, 1 or more
     * @return this builder
     */
    public Builder concurrencyGroup(String name, int limit) {
      this.group = new FlowControl.Group(name, limit);
      return this;
    }

    /**
     * Sets what happens to a run over a concurrency limit (default: it waits).
     *
     * @param policy queue or skip
     * @return this builder
     */
    public Builder overflow(FlowControl.Overflow policy) {
      this.overflow = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Limits how often the task starts, installation-wide.
     *
     * @param starts starts allowed per period, 1 or more
     * @param period the period
     * @return this builder
     */
    public Builder rate(int starts, Duration period) {
      this.rate = new FlowControl.Rate(starts, period);
      return this;
    }

    /**
     * Sets the priority among waiting runs.
     *
     * @param level 0 (default) to 9, higher first
     * @return this builder
     */
    public Builder priority(int level) {
      this.priority = level;
      return this;
    }

    /**
     * Sets where the task was defined.
     *
     * @param where a description such as {@code file:line}
     * @return this builder
     */
    public Builder origin(String where) {
      this.origin = where;
      return this;
    }

    /**
     * Builds the task.
     *
     * @return the task
     * @throws IllegalArgumentException if a required field is missing
     */
    public TaskDefinition build() {
      return new TaskDefinition(name, triggers, Objects.requireNonNullElse(command, ""), log,
          messages, replay, parentSuccess, timeout, env, onFailure,
          new FlowControl(concurrency, group, overflow, rate, priority), origin);
    }
  }
}
