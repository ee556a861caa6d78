package io.angora.benchmarks;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.jdbc.JdbcRunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
 * Records run lifecycles in a {@link JdbcRunStore} as the coordinator does (message received,
 * run queued, started, finished) and waits until all are committed: one operation is
 * {@code runs} lifecycles, so runs per second = runs / time. A fresh SQLite file in a temporary
 * folder, or with {@code -p database=postgresql} the schema {@code angora_bench_write}.
 *
 * <p>One instance per trial, used by one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class RunStoreWriteBenchmark {
  @Param({"10000"})
  int runs;

  @Param({"sqlite"})
  String database;

  private JdbcRunStore store;
  private long next;

  /** Opens an empty store. */
  @Setup(Level.Trial)
  public void open() throws Exception {
    if (database.equals("postgresql")) {
      String base = System.getenv().getOrDefault("ANGORA_JDBC_URL",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS angora_bench_write CASCADE");
        s.execute("CREATE SCHEMA angora_bench_write");
      }
      store = JdbcRunStore.open(base + (base.contains("?") ? "&" : "?")
          + "currentSchema=angora_bench_write");
    } else {
      Path dir = Files.createTempDirectory("angora-write-bench");
      store = JdbcRunStore.sqlite(dir.resolve("angora.db"));
    }
    next = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000;
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void close() {
    store.close();
  }

  /** Records {@code runs} lifecycles of 4 writes each and waits until they are committed. */
  @Benchmark
  public void recordLifecycles() {
    for (int i = 0; i < runs; i++) {
      long micros = next++;
      String id = String.format("%014x-%06x", micros, i);
      Instant at = Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
      Message message = new Message("m-" + id, "task.go", null, "wf-" + id, null, null, at);
      store.recordMessage(message);
      Run queued = Run.queued(id, "task-" + (i % 100), message, 1, at);
      store.insert(queued);
      Run running = queued.started("worker-1", at.plusMillis(1));
      store.update(running);
      store.update(running.finished(RunStatus.SUCCEEDED, 0, null, "done\n", at.plusMillis(50)));
    }
    store.flush(Duration.ofMinutes(5));
  }
}
