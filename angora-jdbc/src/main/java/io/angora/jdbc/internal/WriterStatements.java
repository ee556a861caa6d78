package io.angora.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The writer's multi-row statements, kept per kind and row count for the connection they were
 * prepared on. Preparing one costs more than binding and running it (its SQL is parsed and
 * compiled anew each time), and batches come back to the same sizes again and again. The writer
 * splits a batch into statements of at most {@link #MAX_KEPT_ROWS} rows, so at most that many
 * statements of each kind are kept.
 *
 * <p>Used by the writer's thread only; not thread-safe.
 */
final class WriterStatements {
  /** The most rows of a statement that is kept for reuse. */
  static final int MAX_KEPT_ROWS = 64;

  /** The writer's multi-row statements. */
  enum Kind {
    /** {@link Rows#insertRuns}. */
    RUN_INSERTS(Rows::insertRuns),
    /** {@link Rows#upsertRuns}. */
    RUN_UPSERTS(Rows::upsertRuns),
    /** {@link Rows#insertMessages}. */
    MESSAGE_INSERTS(Rows::insertMessages);

    private final IntFunction<String> sql;

    Kind(IntFunction<String> sql) {
      this.sql = sql;
    }
  }

  private final Map<Kind, Map<Integer, PreparedStatement>> kept = new EnumMap<>(Kind.class);
  private @Nullable Connection connection;

  /**
   * The statement of a kind for a number of rows on a connection: a kept one, or one prepared
   * now and kept. Every parameter must be bound again.
   *
   * @param c the writer's connection
   * @param kind the statement
   * @param rows how many rows, at most {@link #MAX_KEPT_ROWS}
   * @return the statement
   * @throws SQLException if preparing fails
   */
  PreparedStatement prepare(Connection c, Kind kind, int rows) throws SQLException {
    if (rows > MAX_KEPT_ROWS) {
      throw new IllegalArgumentException(rows + " rows: at most " + MAX_KEPT_ROWS);
    }
    if (c != connection) {
      // The statements of a discarded connection closed with it.
      kept.clear();
      connection = c;
    }
    Map<Integer, PreparedStatement> sizes = kept.computeIfAbsent(kind, k -> new HashMap<>());
    PreparedStatement statement = sizes.get(rows);
    if (statement == null) {
      statement = c.prepareStatement(kind.sql.apply(rows));
      sizes.put(rows, statement);
    }
    return statement;
  }
}
