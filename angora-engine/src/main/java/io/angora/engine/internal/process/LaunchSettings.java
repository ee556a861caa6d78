package io.angora.engine.internal.process;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * How the process executor launches jobs.
 *
 * @param outputTailBytes how many of the newest output bytes a run keeps
 * @param environment variables added to every job's environment
 * @param logVariables the variables a task's {@code log} directory is expanded from: Angora's
 *     own environment, never the job's (which holds the sender's message, payload and workflow)
 * @param inheritEnvironment whether jobs start from the worker's own environment
 * @param workingDirectory where jobs run, or null for the worker's working directory
 * @param killGrace how long a killed process tree gets between {@code SIGTERM} and
 *     {@code SIGKILL}; also how long output is awaited after a job's process exits
 * @param clock gives the start and end times of runs
 * @param outputReaders runs two stream pumps per running job; must not queue them behind
 *     running ones (a cached or large enough pool)
 */
public record LaunchSettings(
    int outputTailBytes,
    Map<String, String> environment,
    Map<String, String> logVariables,
    boolean inheritEnvironment,
    @Nullable Path workingDirectory,
    Duration killGrace,
    Clock clock,
    Executor outputReaders) {

  /** Checks and copies. */
  public LaunchSettings {
    if (outputTailBytes < 1) {
      throw new IllegalArgumentException("outputTailBytes must be at least 1: " + outputTailBytes);
    }
    environment = Map.copyOf(environment);
    logVariables = Map.copyOf(logVariables);
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative: " + killGrace);
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(outputReaders, "outputReaders");
  }
}
