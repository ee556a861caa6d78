package io.angora.jdbc.internal;

import io.angora.jdbc.RetentionPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes history beyond a {@link RetentionPolicy} in small batches, one short transaction
 * each, so the writer is never held up for long. Runs that are not finished or that have a
 * pending replay are never deleted.
 *
 * <p>Thread-safe: {@link #prune} is synchronized.
 */
public final class Pruner {
  private static final Logger log = LoggerFactory.getLogger(Pruner.class);
  private static final String DELETABLE = " AND status NOT IN ('QUEUED', 'RUNNING') AND NOT EXISTS "
      + "(SELECT 1 FROM pending_replays p WHERE p.run_id = runs.id)";

  private final String store;
  private final ConnectionSource connections;
  private final Dialect dialect;
  private final RetentionPolicy policy;
  private final Clock clock;
  private final int batchSize;

  /**
   * What one pruning deleted.
   *
   * @param runs runs deleted
   * @param messages messages deleted
   */
  public record Result(long runs, long messages) {}

  /**
   * Creates the pruner.
   *
   * @param store the store's name for log lines
   * @param connections opens a connection per pruning
   * @param dialect the database's dialect
   * @param policy what to keep
   * @param clock what now is
   * @param batchSize rows deleted per transaction
   */
  public Pruner(String store, ConnectionSource connections, Dialect dialect,
      RetentionPolicy policy, Clock clock, int batchSize) {
    this.store = store;
    this.connections = connections;
    this.dialect = dialect;
    this.policy = policy;
    this.clock = clock;
    this.batchSize = batchSize;
  }

  /**
   * Deletes everything the policy no longer keeps.
   *
   * @return what was deleted
   * @throws SQLException if the database fails
   */
  public synchronized Result prune() throws SQLException {
    long started = System.nanoTime();
    long runs = 0;
    long messages = 0;
    try (Connection c = connections.open()) {
      Instant now = clock.instant();
      if (policy.maxAge() != null) {
        Instant cutoff = now.minus(policy.maxAge());
        runs += repeat(c, "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE queued_at < ?"
            + DELETABLE + " LIMIT " + batchSize + ")", cutoff, null);
      }
      if (policy.messagesMaxAge() != null) {
        Instant cutoff = now.minus(policy.messagesMaxAge());
        messages += repeat(c, "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages "
            + "WHERE sent_at < ? LIMIT " + batchSize + ")", cutoff, null);
      }
      if (policy.keepPerTask() > 0) {
        for (String task : tasks(c)) {
          String oldestKept = oldestKept(c, task);
          if (oldestKept != null) {
            runs += repeat(c, "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE task = ? "
                + "AND id < ?" + DELETABLE + " ORDER BY id LIMIT " + batchSize + ")", task,
                oldestKept);
          }
        }
      }
    }
    if (runs + messages > 0) {
      log.info("run store {}: pruned {} runs and {} messages in {} ms", store, runs, messages,
          (System.nanoTime() - started) / 1_000_000);
    }
    return new Result(runs, messages);
  }

  /** Runs a batch delete until it deletes less than a batch; each statement commits alone. */
  private long repeat(Connection c, String sql, Object first, @Nullable String second)
      throws SQLException {
    long total = 0;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      if (first instanceof Instant at) {
        dialect.setInstant(s, 1, at);
      } else {
        s.setString(1, (String) first);
      }
      if (second != null) {
        s.setString(2, second);
      }
      int deleted;
      do {
        deleted = s.executeUpdate();
        total += deleted;
      } while (deleted >= batchSize && !Thread.currentThread().isInterrupted());
    }
    return total;
  }

  private static List<String> tasks(Connection c) throws SQLException {
    List<String> tasks = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT task FROM runs");
        ResultSet row = s.executeQuery()) {
      while (row.next()) {
        tasks.add(row.getString(1));
      }
    }
    return tasks;
  }

  private @Nullable String oldestKept(Connection c, String task) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id FROM runs WHERE task = ? ORDER BY id DESC LIMIT 1 OFFSET ?")) {
      s.setString(1, task);
      s.setInt(2, policy.keepPerTask() - 1);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }
}
