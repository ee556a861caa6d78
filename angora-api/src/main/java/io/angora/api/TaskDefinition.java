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
          messages, replay, parentSuccess, timeout, env, origin);
    }
  }
}
