package io.angora.jdbc.internal;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes batches from {@link PendingWrites} and commits each in one
 * transaction.
 *
 * <p>Within a batch, each run is one row in its newest state (a run queued, started and
 * finished before the batch was taken is written once, as finished), and the runs and the
 * messages are each written with multi-row statements of up to 64 rows.
 *
 * <p>Two kinds of failure are told apart ({@link WriteFailures}). When the database is away or
 * failing as a whole (unreachable, disk full, locked), the batch stays pending and visible to
 * reads, and the writer retries it with exponential backoff, keeping the order, logging one line
 * when writing fails and one when it works again, never one per retry. When the database (or the
 * dialect, for a value out of range) refuses a row, the batch is written again one write per
 * transaction: the rows it accepts are committed, and a row refused alone, on a connection that
 * still works, is set aside: logged with its id and the reason, counted, and reported to the
 * flushes that cover it. It never blocks the rows after it.
 *
 * <p>Runs on one thread ({@link #run}); not for concurrent use. Its counters are thread-safe.
 */
public final class Writer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Writer.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  /**
   * Rows per multi-row statement: the most a kept statement has, so that a large batch runs
   * statements prepared before instead of preparing one for its size (preparing one of a few
   * hundred rows costs more than running it); 16 columns x 64 stays far below the databases'
   * parameter limits.
   */
  private static final int ROWS_PER_STATEMENT = WriterStatements.MAX_KEPT_ROWS;
  /**
   * How long writes that no flush waits for (a run's start) wait for one to share its
   * transaction: each commit costs more than its rows. Other processes reading the database see
   * them that much later at most; this process's reads see them at once.
   */
  private static final Duration UNASKED_WAIT = Duration.ofMillis(100);

  private final String store;
  private final ConnectionSource connections;
  private final PendingWrites pending;
  private final Rows rows;
  private final int batchSize;
  private final Duration linger;
  private final Duration spacing;
  private final AtomicLong statements = new AtomicLong();
  private final AtomicLong transactions = new AtomicLong();
  private final WriterStatements prepared = new WriterStatements();
  private @Nullable Connection connection;
  private volatile @Nullable Throwable failure;
  private Duration backoff = FIRST_BACKOFF;

  /**
   * Creates the writer.
   *
   * @param store the store's name for log lines
   * @param connections opens the writer's connection (again after a failure)
   * @param pending where writes wait
   * @param rows the row mapping
   * @param batchSize the most writes of each kind per transaction
   * @param linger how long a batch waits for more writes after the first
   * @param spacing the least time between two batches while writes keep coming
   */
  public Writer(String store, ConnectionSource connections, PendingWrites pending, Rows rows,
      int batchSize, Duration linger, Duration spacing) {
    this.store = store;
    this.connections = connections;
    this.pending = pending;
    this.rows = rows;
    this.batchSize = batchSize;
    this.linger = linger;
    this.spacing = spacing;
  }

  /**
   * The failure writing is stuck on, or null while writes succeed.
   *
   * @return the last failure
   */
  public @Nullable Throwable failure() {
    return failure;
  }

  /**
   * Statements executed so far (a multi-row statement counts once, a row of a JDBC batch as
   * one), for tests and tuning.
   *
   * @return the count
   */
  public long statements() {
    return statements.get();
  }

  /**
   * Transactions committed so far.
   *
   * @return the count
   */
  public long transactions() {
    return transactions.get();
  }

  @Override
  public void run() {
    pending.writerThread(Thread.currentThread());
    try {
      PendingWrites.Batch batch;
      while ((batch = pending.take(batchSize, linger, UNASKED_WAIT, spacing)) != null) {
        try {
          write(batch);
          pending.written(batch);
          recovered();
        } catch (SQLException | RuntimeException | AssertionError e) {
          // pgjdbc throws AssertionError when the server goes away mid-batch.
          discardConnection(e);
          if (WriteFailures.refused(e)) {
            writeOneByOne(batch);
          } else {
            waitAfter(e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      discardConnection(null);
    }
  }

  /** Writes each write of a batch alone, setting aside those refused alone. */
  private void writeOneByOne(PendingWrites.Batch batch) throws InterruptedException {
    for (PendingWrites.Batch single : singles(batch)) {
      try {
        write(single);
        pending.written(single);
        recovered();
      } catch (SQLException | RuntimeException | AssertionError e) {
        boolean stillWorks = WriteFailures.refused(e) && connectionWorks();
        discardConnection(e);
        if (!stillWorks) {
          waitAfter(e);
          return;
        }
        String reason = describe(single) + ": " + WriteFailures.reason(e);
        log.error("run store {}: the database refused {}; set aside, not recorded", store,
            reason, e);
        pending.refused(single, reason);
      }
    }
  }

  private void recovered() {
    if (failure != null) {
      log.info("run store {}: writing again; {} writes still pending", store, pending.size());
      failure = null;
    }
    backoff = FIRST_BACKOFF;
  }

  private void waitAfter(Throwable e) throws InterruptedException {
    if (failure == null) {
      log.error("run store {}: cannot write, keeping {} writes in memory (up to {}) and retrying "
          + "with backoff up to {}s: {}", store, pending.size(), pending.limit(),
          MAX_BACKOFF.toSeconds(), e.toString(), e);
    }
    failure = e;
    pending.pause(backoff);
    Duration doubled = backoff.multipliedBy(2);
    backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  private boolean connectionWorks() {
    try {
      Connection c = connection;
      return c != null && c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private static List<PendingWrites.Batch> singles(PendingWrites.Batch batch) {
    List<PendingWrites.Batch> singles = new ArrayList<>(batch.size());
    for (PendingWrites.Entry<Run> run : batch.runs()) {
      singles.add(new PendingWrites.Batch(List.of(run), List.of(), Map.of()));
    }
    for (PendingWrites.Entry<Message> message : batch.messages()) {
      singles.add(new PendingWrites.Batch(List.of(), List.of(message), Map.of()));
    }
    batch.replays().forEach((runId, replay) -> singles.add(
        new PendingWrites.Batch(List.of(), List.of(), Map.of(runId, replay))));
    return singles;
  }

  private static String describe(PendingWrites.Batch single) {
    if (!single.runs().isEmpty()) {
      return "run " + single.runs().get(0).value().id();
    }
    if (!single.messages().isEmpty()) {
      return "message " + single.messages().get(0).value().id();
    }
    return "replay of run " + single.replays().keySet().iterator().next();
  }

  private void write(PendingWrites.Batch batch) throws SQLException {
    Connection c = connection();
    c.setAutoCommit(false);
    try {
      writeRuns(c, batch.runs());
      List<Message> messages = new ArrayList<>(batch.messages().size());
      batch.messages().forEach(e -> messages.add(e.value()));
      writeRows(c, messages, WriterStatements.Kind.MESSAGE_INSERTS, Rows.MESSAGE_WIDTH,
          rows::bindMessage);
      if (!batch.replays().isEmpty()) {
        writeReplays(c, batch.replays());
      }
      c.commit();
      transactions.incrementAndGet();
    } catch (SQLException | RuntimeException | AssertionError e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private void writeRuns(Connection c, List<PendingWrites.Entry<Run>> runs) throws SQLException {
    List<Run> upserts = new ArrayList<>();
    List<Run> inserts = new ArrayList<>();
    for (PendingWrites.Entry<Run> run : runs) {
      (run.insertOnly() ? inserts : upserts).add(run.value());
    }
    writeRows(c, inserts, WriterStatements.Kind.RUN_INSERTS, Rows.RUN_WIDTH, rows::bindRun);
    writeRows(c, upserts, WriterStatements.Kind.RUN_UPSERTS, Rows.RUN_WIDTH, rows::bindRun);
  }

  /** Binds one value as one row of a multi-row statement. */
  @FunctionalInterface
  private interface Binder<T> {
    void bind(PreparedStatement s, int at, T value) throws SQLException;
  }

  /**
   * Writes values with one kept statement per {@link #ROWS_PER_STATEMENT} rows (the ids of one
   * batch are distinct, as a multi-row upsert needs).
   */
  private <T> void writeRows(Connection c, List<T> values, WriterStatements.Kind kind,
      int width, Binder<T> binder) throws SQLException {
    for (int from = 0; from < values.size(); from += ROWS_PER_STATEMENT) {
      List<T> chunk = values.subList(from, Math.min(values.size(), from + ROWS_PER_STATEMENT));
      PreparedStatement s = prepared.prepare(c, kind, chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        binder.bind(s, i * width, chunk.get(i));
      }
      s.executeUpdate();
      statements.incrementAndGet();
    }
  }

  private void execute(PreparedStatement s, int rowsInBatch) throws SQLException {
    s.executeBatch();
    statements.addAndGet(rowsInBatch);
  }

  private void writeReplays(Connection c,
      Map<String, PendingWrites.Entry<Optional<PendingReplay>>> replays) throws SQLException {
    try (PreparedStatement upsert = c.prepareStatement(Rows.UPSERT_REPLAY);
        PreparedStatement delete = c.prepareStatement(Rows.DELETE_REPLAY)) {
      int upserts = 0;
      int deletes = 0;
      for (Map.Entry<String, PendingWrites.Entry<Optional<PendingReplay>>> entry
          : replays.entrySet()) {
        Optional<PendingReplay> replay = entry.getValue().value();
        if (replay.isPresent()) {
          rows.bindReplay(upsert, replay.get());
          upsert.addBatch();
          upserts++;
        } else {
          rows.dialect().setText(delete, 1, entry.getKey());
          delete.addBatch();
          deletes++;
        }
      }
      if (upserts > 0) {
        execute(upsert, upserts);
      }
      if (deletes > 0) {
        execute(delete, deletes);
      }
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection opened = connections.open();
      try {
        rows.dialect().prepareWriter(opened);
      } catch (SQLException | RuntimeException e) {
        try {
          opened.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
      connection = opened;
    }
    return connection;
  }

  /** Closes the connection; after a failure it may be broken, so the next try opens anew. */
  private void discardConnection(@Nullable Throwable cause) {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        if (cause != null) {
          cause.addSuppressed(e);
        } else {
          log.warn("run store {}: closing the writer's connection failed", store, e);
        }
      }
    }
  }
}
