package io.angora.benchmarks;

import io.angora.api.TaskDefinition;
import io.angora.engine.internal.triggers.TriggerIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Looks a message up among {@code tasks} tasks: with the trigger index, and with a linear scan
 * over every trigger of every task, the original's way. Tasks have one trigger each, shaped
 * {@code appA.jobI.start}; with {@code patternPercent} 10, one task in ten has a pattern instead
 * ({@code appA.jobI.*} or {@code appA.#.jobI}). {@code hit} messages each trigger one task
 * (chosen at random, so a pattern task in ten when there are patterns); {@code miss} messages
 * trigger none but share the first word with many tasks. Each call looks up the next of 1 024
 * prepared messages, so neither the JIT nor the branch predictor sees one constant message.
 *
 * <p>A JMH state: each benchmark thread gets its own; not meant for use outside JMH and tests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TriggerLookupBenchmark {
  private static final int MESSAGES = 1024;
  private static final int APPS = 50;

  /** How many tasks are defined. */
  @Param({"10", "1000", "100000"})
  public int tasks;

  /** The share of tasks whose trigger is a {@code *}/{@code #} pattern, in percent. */
  @Param({"0", "10"})
  public int patternPercent;

  /** Whether the looked-up messages trigger a task ({@code hit}) or none ({@code miss}). */
  @Param({"hit", "miss"})
  public String lookup;

  private List<TaskDefinition> definitions = List.of();
  private TriggerIndex index = TriggerIndex.build(List.of());
  private String[] messages = new String[0];
  private int next;

  /** Creates the state; JMH fills the parameters and calls {@link #setUp()}. */
  public TriggerLookupBenchmark() {}

  /** Builds the tasks, the index and the messages. */
  @Setup(Level.Trial)
  public void setUp() {
    int patternEvery = patternPercent == 0 ? 0 : 100 / patternPercent;
    definitions = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      definitions.add(TaskDefinition.builder("task-" + i).triggers(trigger(i, patternEvery))
          .command("true").build());
    }
    index = TriggerIndex.build(definitions);
    SplittableRandom random = new SplittableRandom(42);
    messages = new String[MESSAGES];
    for (int m = 0; m < MESSAGES; m++) {
      int i = random.nextInt(tasks);
      messages[m] = "hit".equals(lookup) ? hitFor(i, patternEvery)
          : "app" + (i % APPS) + ".nojob" + i + ".start";
    }
    next = 0;
  }

  /**
   * One lookup with the trigger index.
   *
   * @return the matching tasks (returned so the JIT cannot drop the work)
   */
  @Benchmark
  public List<TaskDefinition> index() {
    return index.match(nextMessage());
  }

  /**
   * One lookup by matching every trigger of every task in turn, as the original did.
   *
   * @return the matching tasks
   */
  @Benchmark
  public List<TaskDefinition> linearScan() {
    String message = nextMessage();
    List<TaskDefinition> found = new ArrayList<>();
    for (TaskDefinition task : definitions) {
      for (String trigger : task.triggers()) {
        if (TriggerIndex.matches(trigger, message)) {
          found.add(task);
          break;
        }
      }
    }
    return found;
  }

  private String nextMessage() {
    String message = messages[next];
    next = (next + 1) & (MESSAGES - 1);
    return message;
  }

  private static boolean isPattern(int i, int patternEvery) {
    return patternEvery > 0 && i % patternEvery == 0;
  }

  private static String trigger(int i, int patternEvery) {
    String app = "app" + (i % APPS);
    if (!isPattern(i, patternEvery)) {
      return app + ".job" + i + ".start";
    }
    return (i / patternEvery) % 2 == 0 ? app + ".job" + i + ".*" : app + ".#.job" + i;
  }

  private static String hitFor(int i, int patternEvery) {
    String app = "app" + (i % APPS);
    if (!isPattern(i, patternEvery)) {
      return app + ".job" + i + ".start";
    }
    return (i / patternEvery) % 2 == 0 ? app + ".job" + i + ".done" : app + ".eu.west.job" + i;
  }
}
