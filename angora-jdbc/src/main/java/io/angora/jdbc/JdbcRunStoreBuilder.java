package io.angora.jdbc;

import io.angora.api.StoreException;
import io.angora.jdbc.internal.ConnectionPool;
import io.angora.jdbc.internal.ConnectionSource;
import io.angora.jdbc.internal.Dialect;
import io.angora.jdbc.internal.Migrations;
import io.angora.jdbc.internal.PendingWrites;
import io.angora.jdbc.internal.Pruner;
import io.angora.jdbc.internal.Reads;
import io.angora.jdbc.internal.Rows;
import io.angora.jdbc.internal.ScheduleRows;
import io.angora.jdbc.internal.SqliteFileLock;
import io.angora.jdbc.internal.SqliteFiles;
import io.angora.jdbc.internal.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * Settings of a {@link JdbcRunStore}; {@link #build()} opens it.
 *
 * <p>Not thread-safe; use one builder on one thread.
 */
public final class JdbcRunStoreBuilder {
  private final String url;
  private final @Nullable Path sqliteFile;
  private RetentionPolicy retention = RetentionPolicy.defaults();
  private Duration pruneEvery = Duration.ofMinutes(10);
  private int pruneBatchSize = 1000;
  private int batchSize = 500;
  private int maxPendingWrites = 10_000;
  private Duration flushInterval = Duration.ZERO;
  private Duration commitSpacing = Duration.ofMillis(2);
  private Duration closeTimeout = Duration.ofSeconds(30);
  private Clock clock = Clock.systemUTC();
  private @Nullable ConnectionSource connections;

  JdbcRunStoreBuilder(Path sqliteFile) {
    this.sqliteFile = sqliteFile;
    this.url = "jdbc:sqlite:" + sqliteFile.toAbsolutePath();
  }

  JdbcRunStoreBuilder(String jdbcUrl) {
    Dialect dialect = Dialect.of(jdbcUrl);
    if (dialect == null) {
      throw new StoreException("unsupported run store URL " + redact(jdbcUrl)
          + ": use jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE");
    }
    if (dialect == Dialect.SQLITE) {
      String file = jdbcUrl.substring("jdbc:sqlite:".length());
      if (file.isBlank() || file.contains(":memory:") || file.contains("mode=memory")) {
        throw new StoreException("run store " + jdbcUrl + ": an in-memory SQLite database is not "
            + "supported; use the in-memory run store instead");
      }
      this.sqliteFile = Path.of(file.startsWith("file:") ? file.substring(5) : file);
      this.url = "jdbc:sqlite:" + sqliteFile.toAbsolutePath();
    } else {
      this.sqliteFile = null;
      this.url = jdbcUrl;
    }
  }

  /**
   * Sets how much history to keep; default {@link RetentionPolicy#defaults()}.
   *
   * @param policy the policy
   * @return this builder
   */
  public JdbcRunStoreBuilder retention(RetentionPolicy policy) {
    this.retention = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Sets how often the background pruning runs; default 10 minutes.
   *
   * @param every the pause between prunings
   * @return this builder
   */
  public JdbcRunStoreBuilder pruneEvery(Duration every) {
    this.pruneEvery = positive(every, "pruneEvery");
    return this;
  }

  /**
   * Sets how many rows one pruning transaction deletes at most; default 1000.
   *
   * @param rows the batch size
   * @return this builder
   */
  public JdbcRunStoreBuilder pruneBatchSize(int rows) {
    this.pruneBatchSize = atLeastOne(rows, "pruneBatchSize");
    return this;
  }

  /**
   * Sets how many writes of each kind one transaction holds at most; default 500.
   *
   * @param writes the batch size
   * @return this builder
   */
  public JdbcRunStoreBuilder batchSize(int writes) {
    this.batchSize = atLeastOne(writes, "batchSize");
    return this;
  }

  /**
   * Sets how many writes may wait in memory for the database (each run, message or replay
   * counted once however often it changed); a write beyond blocks its caller until the writer
   * makes room. Default 10 000; memory is bounded by about that many runs with their output
   * tails.
   *
   * @param writes the bound
   * @return this builder
   */
  public JdbcRunStoreBuilder maxPendingWrites(int writes) {
    this.maxPendingWrites = atLeastOne(writes, "maxPendingWrites");
    return this;
  }

  /**
   * Sets how long the writer waits for more writes after the first before it commits; default
   * zero: batches form while the previous commit runs, so a crash loses the least.
   *
   * @param interval the wait
   * @return this builder
   */
  public JdbcRunStoreBuilder flushInterval(Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("flushInterval must not be negative: " + interval);
    }
    this.flushInterval = interval;
    return this;
  }

  /**
   * Sets the least time from one commit of the writer to the next while flushes keep coming
   * from several threads; default 2 ms. Under such a stream (a coordinator busy with short
   * jobs) each flush waits up to that much longer, and the writer makes far fewer commits, which
   * cost more than the rows they hold. Writes after a quiet spell, and the flushes of a single
   * thread that waits for each in turn, are committed at once. Zero commits each batch as soon
   * as the previous one is done.
   *
   * @param spacing the least time between two commits
   * @return this builder
   */
  public JdbcRunStoreBuilder commitSpacing(Duration spacing) {
    if (spacing.isNegative()) {
      throw new IllegalArgumentException("commitSpacing must not be negative: " + spacing);
    }
    this.commitSpacing = spacing;
    return this;
  }

  /**
   * Sets how long {@link JdbcRunStore#close()} keeps trying to write pending writes when the
   * database fails; default 30 seconds.
   *
   * @param timeout the longest wait
   * @return this builder
   */
  public JdbcRunStoreBuilder closeTimeout(Duration timeout) {
    this.closeTimeout = positive(timeout, "closeTimeout");
    return this;
  }

  /**
   * Sets the clock retention measures ages by; default the system clock.
   *
   * @param value the clock
   * @return this builder
   */
  public JdbcRunStoreBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /** Replaces how connections are opened; tests use it to make the database fail. */
  JdbcRunStoreBuilder connections(ConnectionSource source) {
    this.connections = source;
    return this;
  }

  /**
   * Opens the store: locks an SQLite file, creates or migrates the schema, starts the writer
   * and the pruner.
   *
   * @return the open store
   * @throws StoreException if the database is in use (SQLite), unreachable, or newer
   */
  public JdbcRunStore build() {
    Dialect dialect = Objects.requireNonNull(Dialect.of(url));
    String name = sqliteFile != null ? sqliteFile.toString() : redact(url);
    SqliteFileLock lock = sqliteFile != null ? SqliteFileLock.acquire(sqliteFile) : null;
    try {
      ConnectionSource source = connections != null ? connections : defaultSource(dialect);
      if (sqliteFile != null) {
        SqliteFiles.prepare(sqliteFile.toAbsolutePath());
      }
      try (Connection connection = source.open()) {
        Migrations.migrate(connection, dialect, name, clock);
        if (sqliteFile != null) {
          SqliteFiles.tightenAll(sqliteFile.toAbsolutePath());
        }
      } catch (SQLException e) {
        throw new StoreException("run store " + name + ": cannot open: " + e.getMessage(), e);
      }
      Rows rows = new Rows(dialect);
      PendingWrites pending = new PendingWrites(maxPendingWrites);
      ConnectionPool pool = new ConnectionPool(name, source, 4);
      Writer writer = new Writer(name, source, pending, rows, batchSize, flushInterval,
          commitSpacing);
      Pruner pruner = new Pruner(name, source, dialect, retention, clock, pruneBatchSize);
      return new JdbcRunStore(name, pending, new Reads(pool, pending, rows),
          new ScheduleRows(pool, dialect), pool, writer, pruner,
          retention.prunes() ? pruneEvery : null, lock, closeTimeout);
    } catch (RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      throw e;
    }
  }

  private ConnectionSource defaultSource(Dialect dialect) {
    Properties properties = new Properties();
    if (dialect == Dialect.SQLITE) {
      try {
        Files.createDirectories(Objects.requireNonNull(sqliteFile).toAbsolutePath().getParent());
      } catch (java.io.IOException e) {
        throw new StoreException("run store " + sqliteFile + ": cannot create its folder", e);
      }
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      // NORMAL in WAL mode survives a killed process; only a power loss may lose the last commits.
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.setBusyTimeout(10_000);
      // Nothing reads generated keys; otherwise every INSERT runs a second query for them.
      config.setGetGeneratedKeys(false);
      properties = config.toProperties();
    } else {
      properties.setProperty("reWriteBatchedInserts", "true");
      // Reads while the server is away must fail promptly, not hang (URL parameters win).
      properties.setProperty("connectTimeout", "5");
      properties.setProperty("loginTimeout", "10");
      properties.setProperty("socketTimeout", "60");
    }
    Properties settings = properties;
    return () -> DriverManager.getConnection(url, settings);
  }

  /** Hides passwords in a JDBC URL so it can be logged. */
  static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("//([^/:@]+):[^@/]*@", "//$1:***@");
  }

  private static Duration positive(Duration value, String what) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
    return value;
  }

  private static int atLeastOne(int value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be 1 or more: " + value);
    }
    return value;
  }
}
