package io.angora.benchmarks;

import io.angora.api.TaskDefinition;
import io.angora.engine.YamlTaskSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loads {@value #TASKS} tasks from YAML files in a temporary directory, spread over
 * {@code files} files, with {@link YamlTaskSource}: parsing, validation and the duplicate-name
 * check, as at start and on every reload. Each task has a name, two triggers, a command,
 * follow-up messages, a replay count and an environment variable.
 *
 * <p>A JMH state: each benchmark thread gets its own directory; not meant for use outside JMH
 * and tests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TaskLoadBenchmark {
  /** How many tasks are loaded. */
  public static final int TASKS = 10_000;

  /** Over how many files the tasks are spread. */
  @Param({"1", "100"})
  public int files;

  private @org.jspecify.annotations.Nullable Path directory;
  private YamlTaskSource source = YamlTaskSource.directory(Path.of("."));

  /** Creates the state; JMH fills the parameters and calls {@link #setUp()}. */
  public TaskLoadBenchmark() {}

  /**
   * Writes the task files.
   *
   * @throws IOException when the temporary directory cannot be written
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path dir = Files.createTempDirectory("angora-bench-tasks");
    directory = dir;
    int perFile = TASKS / files;
    for (int f = 0; f < files; f++) {
      StringBuilder yaml = new StringBuilder(perFile * 200);
      for (int t = f * perFile; t < (f + 1) * perFile; t++) {
        yaml.append("- name: task_").append(t).append('\n')
            .append("  triggers: [app").append(t % 50).append(".job").append(t)
            .append(".start, app").append(t % 50).append(".job").append(t).append(".*]\n")
            .append("  command: echo \"task ").append(t).append(" $ANGORA_MESSAGE\"\n")
            .append("  messages: [app").append(t % 50).append(".job").append(t + 1)
            .append(".start]\n")
            .append("  replay: 3\n")
            .append("  env: {STEP: \"").append(t).append("\"}\n");
      }
      Files.writeString(dir.resolve(String.format("tasks-%05d.yml", f)), yaml);
    }
    source = YamlTaskSource.directory(dir);
  }

  /**
   * Reads every file and builds the task definitions.
   *
   * @return the tasks
   */
  @Benchmark
  public List<TaskDefinition> load() {
    return source.load();
  }

  /** Deletes the task files. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete benchmark task files in " + directory, e);
    }
  }
}
