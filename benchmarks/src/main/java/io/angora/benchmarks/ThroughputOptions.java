package io.angora.benchmarks;

import io.angora.engine.ProcessExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the throughput harness runs.
 *
 * @param modes the deployment modes to measure
 * @param jobs messages (one job each) per measured burst
 * @param concurrency jobs run at once by the worker, and threads of the bare spawn loop
 * @param warmupJobs jobs run through each mode (and the bare loop) before measuring
 * @param slices in how many turns the bare loop and the mode share the measured jobs
 * @param latencyJobs jobs of the latency round (closed loop, {@code concurrency} in flight)
 * @param amqpUri the broker for the AMQP mode
 * @param timeout how long one round may take before the harness gives up
 * @param spawnExecutor whether the embedded modes run jobs with the diagnostic
 *     {@link SpawnExecutor} instead of Angora's process executor
 * @param launcher how Angora's process executor starts jobs (all modes)
 */
record ThroughputOptions(Set<DeploymentMode> modes, int jobs, int concurrency,
    int warmupJobs, int slices,
    int latencyJobs,
    String amqpUri, Duration timeout, boolean spawnExecutor,
    ProcessExecutor.Launcher launcher) {

  static final String USAGE = "usage: Throughput [--mode embedded|sqlite|amqp|celery|all]... "
      + "[--jobs N] [--concurrency C] [--warmup-jobs W] [--slices S] [--latency-jobs L] "
      + "[--amqp URI] [--timeout SECONDS] [--executor process|spawn] "
      + "[--launcher auto|posix_spawn|jdk]";

  /** Checks the numbers and copies the set. */
  ThroughputOptions {
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("no mode given; " + USAGE);
    }
    modes = Set.copyOf(modes);
    if (jobs < 1 || concurrency < 1 || latencyJobs < 1 || slices < 1 || warmupJobs < 0) {
      throw new IllegalArgumentException("--jobs, --concurrency, --slices and --latency-jobs "
          + "must be 1 or more");
    }
    if (slices > jobs) {
      throw new IllegalArgumentException("--slices " + slices + " is more than --jobs " + jobs);
    }
  }

  /** The modes in a fixed order. */
  List<DeploymentMode> orderedModes() {
    List<DeploymentMode> ordered = new ArrayList<>();
    for (DeploymentMode m : DeploymentMode.values()) {
      if (modes.contains(m)) {
        ordered.add(m);
      }
    }
    return ordered;
  }

  /**
   * Parses command-line arguments.
   *
   * @param args e.g. {@code --mode all --jobs 2000 --concurrency 2}
   * @return the options; defaults: all modes, 2000 jobs, concurrency 2, 10 000 warm-up jobs
   *     (C2 compiles a method after about 10 000 calls: until then the per-job path runs as
   *     profiled C1 code, which is not what a long-running worker runs), 4 slices, 500 latency
   *     jobs,
   *     {@code ANGORA_AMQP_URI} or the local broker, 300 s timeout
   * @throws IllegalArgumentException on an unknown or malformed argument
   */
  static ThroughputOptions parse(String... args) {
    Set<DeploymentMode> modes = EnumSet.noneOf(DeploymentMode.class);
    int jobs = 2000;
    int concurrency = 2;
    int warmupJobs = 10_000;
    int slices = 4;
    int latencyJobs = 500;
    String env = System.getenv("ANGORA_AMQP_URI");
    String amqp = env != null && !env.isBlank() ? env : "amqp://guest:guest@127.0.0.1:5672";
    long timeoutSeconds = 300;
    boolean spawnExecutor = false;
    ProcessExecutor.Launcher launcher = ProcessExecutor.Launcher.AUTO;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(arg + " needs a value; " + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--mode" -> modes.addAll(DeploymentMode.parse(value));
        case "--jobs" -> jobs = number(arg, value);
        case "--concurrency" -> concurrency = number(arg, value);
        case "--warmup-jobs" -> warmupJobs = number(arg, value);
        case "--slices" -> slices = number(arg, value);
        case "--latency-jobs" -> latencyJobs = number(arg, value);
        case "--amqp" -> amqp = value;
        case "--timeout" -> timeoutSeconds = number(arg, value);
        case "--executor" -> spawnExecutor = switch (value) {
          case "process" -> false;
          case "spawn" -> true;
          default -> throw new IllegalArgumentException("--executor takes process or spawn, not '"
              + value + "'");
        };
        case "--launcher" -> launcher = ProcessExecutor.Launcher.parse(value);
        default -> throw new IllegalArgumentException("unknown argument " + arg + "; " + USAGE);
      }
    }
    if (modes.isEmpty()) {
      modes.addAll(EnumSet.allOf(DeploymentMode.class));
    }
    int slicesUsed = Math.min(slices, jobs);
    return new ThroughputOptions(modes, jobs, concurrency, warmupJobs,
        slicesUsed, latencyJobs, amqp,
        Duration.ofSeconds(timeoutSeconds), spawnExecutor, launcher);
  }

  private static int number(String arg, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(arg + " takes a number, not '" + value + "'", e);
    }
  }
}
