package io.angora.benchmarks;

import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.jdbc.JdbcRunStore;
import io.angora.jdbc.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lists runs from a {@link JdbcRunStore} holding 1,000,000 runs of 100 tasks over a year: the
 * newest 50 of one task (the task page), a page of one task deep in its history, and the same
 * unfiltered and with a status filter. The database is filled once through the store itself
 * and reused while it holds the expected number of runs: an SQLite file in
 * {@code ${angora.bench.dir}} (default {@code ${java.io.tmpdir}/angora-benchmarks}), or with
 * {@code -p database=postgresql} the schema {@code angora_bench} at {@code ANGORA_JDBC_URL}
 * (default the local server).
 *
 * <p>One instance per trial, used by one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RunStoreListingBenchmark {
  private static final int TASKS = 100;
  private static final String TASK = "task-042";

  @Param({"1000000"})
  int runs;

  @Param({"sqlite"})
  String database;

  private JdbcRunStore store;
  private String deepInTask;
  private String deepOverall;

  /** Fills the database unless it already holds the runs, and opens the store. */
  @Setup(Level.Trial)
  public void open() throws Exception {
    String url = url();
    if (count(url) != runs) {
      fill(url);
    }
    store = JdbcRunStore.builder(url).retention(RetentionPolicy.keepEverything()).build();
    // Cursors about 90% of the way into the history.
    deepInTask = cursor(RunQuery.newest(RunQuery.MAX_LIMIT).withTask(TASK), runs / TASKS * 9 / 10);
    deepOverall = cursor(RunQuery.newest(RunQuery.MAX_LIMIT), runs * 9 / 10);
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void close() {
    store.close();
  }

  /** The task page: the newest 50 runs of one task. */
  @Benchmark
  public RunPage newest50OfOneTask() {
    return store.query(RunQuery.newest(50).withTask(TASK));
  }

  /** A page of one task about 90% deep into its history, by cursor. */
  @Benchmark
  public RunPage deepPageOfOneTask() {
    return store.query(RunQuery.newest(50).withTask(TASK).withBefore(deepInTask));
  }

  /** The newest 50 failed runs of one task (failures are 8% of runs). */
  @Benchmark
  public RunPage newest50FailedOfOneTask() {
    return store.query(RunQuery.newest(50).withTask(TASK).withStatus(RunStatus.FAILED));
  }

  /** The runs page: the newest 50 runs of all tasks. */
  @Benchmark
  public RunPage newest50() {
    return store.query(RunQuery.newest(50));
  }

  /** A page of all runs about 90% deep into the history, by cursor. */
  @Benchmark
  public RunPage deepPage() {
    return store.query(RunQuery.newest(50).withBefore(deepOverall));
  }

  private String cursor(RunQuery query, int depth) {
    RunQuery q = query;
    String before = null;
    for (int seen = 0; seen < depth; seen += query.limit()) {
      RunPage page = store.query(q);
      if (page.next() == null) {
        break;
      }
      before = page.next();
      q = q.withBefore(before);
    }
    return before;
  }

  private String url() throws Exception {
    if (database.equals("postgresql")) {
      String base = System.getenv().getOrDefault("ANGORA_JDBC_URL",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS angora_bench");
      }
      return base + (base.contains("?") ? "&" : "?") + "currentSchema=angora_bench";
    }
    Path dir = Path.of(System.getProperty("angora.bench.dir",
        Path.of(System.getProperty("java.io.tmpdir"), "angora-benchmarks").toString()));
    Files.createDirectories(dir);
    return "jdbc:sqlite:" + dir.resolve("run-store-" + runs + ".db");
  }

  private static long count(String url) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT COUNT(*) FROM runs")) {
      row.next();
      return row.getLong(1);
    } catch (SQLException noTableYet) {
      return -1;
    }
  }

  /** Writes the runs through the store, as the coordinator would, spread over one year. */
  private void fill(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS runs");
      s.execute("DROP TABLE IF EXISTS messages");
      s.execute("DROP TABLE IF EXISTS pending_replays");
      s.execute("DROP TABLE IF EXISTS angora_schema_version");
    }
    Random random = new Random(42);
    Instant start = Instant.parse("2025-06-01T00:00:00Z");
    long stepMicros = Duration.ofDays(365).toNanos() / 1000 / runs;
    long began = System.nanoTime();
    try (JdbcRunStore filling = JdbcRunStore.builder(url)
        .retention(RetentionPolicy.keepEverything()).batchSize(2000).build()) {
      for (int i = 0; i < runs; i++) {
        Instant at = start.plusNanos(i * stepMicros * 1000);
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
        String id = String.format("%014x-%06x", micros, random.nextInt(1 << 24));
        String task = String.format("task-%03d", random.nextInt(TASKS));
        int dice = random.nextInt(100);
        RunStatus status = dice < 90 ? RunStatus.SUCCEEDED : dice < 98 ? RunStatus.FAILED
            : dice < 99 ? RunStatus.TIMED_OUT : RunStatus.CANCELLED;
        Integer exit = status == RunStatus.SUCCEEDED ? Integer.valueOf(0)
            : status == RunStatus.FAILED ? Integer.valueOf(1) : null;
        String workflow = String.format("%014x-%06x", micros - 5_000_000, random.nextInt(1 << 24));
        Run run = new Run(id, task, task + ".start", "m-" + id, null, workflow, null, 1, status,
            status == RunStatus.SUCCEEDED ? null : "exit " + exit, exit, "worker-" + (i % 8),
            at, at.plusMillis(20), at.plusSeconds(3 + random.nextInt(60)),
            "processed " + random.nextInt(100_000) + " records\n" + "x".repeat(random.nextInt(200)));
        filling.insert(run);
      }
      filling.flush(Duration.ofMinutes(30));
    }
    System.out.printf("# filled %s with %,d runs in %d s%n", url, runs,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
  }
}
