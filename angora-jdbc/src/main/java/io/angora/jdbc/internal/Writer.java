package io.angora.jdbc.internal;

import io.angora.api.PendingReplay;
import io.angora.api.Run;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes batches from {@link PendingWrites} and commits each in one
 * transaction. When the database fails (unreachable, disk full) the batch stays pending and
 * visible to reads, and the writer retries with exponential backoff, logging one line when
 * writing fails and one when it works again, never one per retry.
 *
 * <p>Runs on one thread ({@link #run}); not for concurrent use.
 */
public final class Writer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Writer.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final String store;
  private final ConnectionSource connections;
  private final PendingWrites pending;
  private final Rows rows;
  private final int batchSize;
  private final Duration linger;
  private @Nullable Connection connection;
  private volatile @Nullable Exception failure;

  /**
   * Creates the writer.
   *
   * @param store the store's name for log lines
   * @param connections opens the writer's connection (again after a failure)
   * @param pending where writes wait
   * @param rows the row mapping
   * @param batchSize the most writes of each kind per transaction
   * @param linger how long a batch waits for more writes after the first
   */
  public Writer(String store, ConnectionSource connections, PendingWrites pending, Rows rows,
      int batchSize, Duration linger) {
    this.store = store;
    this.connections = connections;
    this.pending = pending;
    this.rows = rows;
    this.batchSize = batchSize;
    this.linger = linger;
  }

  /**
   * The failure writing is stuck on, or null while writes succeed.
   *
   * @return the last failure
   */
  public @Nullable Exception failure() {
    return failure;
  }

  @Override
  public void run() {
    Duration backoff = FIRST_BACKOFF;
    try {
      PendingWrites.Batch batch;
      while ((batch = pending.take(batchSize, linger)) != null) {
        try {
          write(batch);
          pending.written(batch);
          if (failure != null) {
            log.info("run store {}: writing again; {} writes still pending", store,
                pending.size());
            failure = null;
            backoff = FIRST_BACKOFF;
          }
        } catch (SQLException | RuntimeException e) {
          discardConnection(e);
          if (failure == null) {
            log.error("run store {}: cannot write, keeping {} writes in memory and retrying "
                + "with backoff up to {}s: {}", store, pending.size(), MAX_BACKOFF.toSeconds(),
                e.toString(), e);
          }
          failure = e;
          pending.pause(backoff);
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
              : backoff.multipliedBy(2);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      discardConnection(null);
    }
  }

  private void write(PendingWrites.Batch batch) throws SQLException {
    Connection c = connection();
    c.setAutoCommit(false);
    try {
      if (!batch.runs().isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(Rows.UPSERT_RUN)) {
          for (Run run : batch.runs()) {
            rows.bindRun(s, run);
            s.addBatch();
          }
          s.executeBatch();
        }
      }
      if (!batch.messages().isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(Rows.INSERT_MESSAGE)) {
          for (var message : batch.messages()) {
            rows.bindMessage(s, message);
            s.addBatch();
          }
          s.executeBatch();
        }
      }
      if (!batch.replays().isEmpty()) {
        writeReplays(c, batch.replays());
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private void writeReplays(Connection c, Map<String, Optional<PendingReplay>> replays)
      throws SQLException {
    try (PreparedStatement upsert = c.prepareStatement(Rows.UPSERT_REPLAY);
        PreparedStatement delete = c.prepareStatement(Rows.DELETE_REPLAY)) {
      boolean upserts = false;
      boolean deletes = false;
      for (Map.Entry<String, Optional<PendingReplay>> entry : replays.entrySet()) {
        if (entry.getValue().isPresent()) {
          rows.bindReplay(upsert, entry.getValue().get());
          upsert.addBatch();
          upserts = true;
        } else {
          rows.dialect().setText(delete, 1, entry.getKey());
          delete.addBatch();
          deletes = true;
        }
      }
      if (upserts) {
        upsert.executeBatch();
      }
      if (deletes) {
        delete.executeBatch();
      }
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = connections.open();
    }
    return connection;
  }

  /** Closes the connection; after a failure it may be broken, so the next try opens anew. */
  private void discardConnection(@Nullable Exception cause) {
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
