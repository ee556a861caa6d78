package io.angora.jdbc.internal;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maps runs, messages and pending replays to table rows and back, and holds the statements
 * that write them: several rows per statement, upserts or inserts that leave a recorded row,
 * so a retried batch and a redelivery are harmless.
 *
 * <p>Immutable and thread-safe.
 */
public final class Rows {
  /** The columns of {@code runs}, in the order {@link #bindRun} binds them. */
  public static final String RUN_COLUMNS = "id, task, message, message_id, payload, workflow_id, "
      + "parent_run_id, attempt, status, reason, exit_code, worker, queued_at, started_at, "
      + "finished_at, output";

  /** How many columns {@link #bindRun} binds. */
  static final int RUN_WIDTH = 16;

  /** How many columns {@link #bindMessage} binds. */
  static final int MESSAGE_WIDTH = 7;

  /**
   * Every column but the task, the workflow id and the queued time, which never change for a run
   * id (reads rely on it too; see {@link io.angora.api.RunStore#update}): a column named here
   * makes SQLite rewrite the run's entries in every index on it, even when the value stays the
   * same.
   */
  private static final String RUN_UPDATE = " ON CONFLICT (id) DO UPDATE SET "
      + "message = excluded.message, message_id = excluded.message_id, "
      + "payload = excluded.payload, "
      + "parent_run_id = excluded.parent_run_id, attempt = excluded.attempt, "
      + "status = excluded.status, reason = excluded.reason, exit_code = excluded.exit_code, "
      + "worker = excluded.worker, "
      + "started_at = excluded.started_at, finished_at = excluded.finished_at, "
      + "output = excluded.output";

  /** The columns of {@code messages} that {@link #bindMessage} binds. */
  public static final String MESSAGE_COLUMNS =
      "message_id, text, payload, workflow_id, parent_run_id, task, sent_at";

  /**
   * One statement that inserts or replaces {@code count} runs (distinct ids), bound with
   * {@link #bindRun} at offsets 0, {@link #RUN_WIDTH}, ...
   *
   * @param count how many runs
   * @return the SQL
   */
  public static String upsertRuns(int count) {
    return "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES " + values(count, RUN_WIDTH)
        + RUN_UPDATE;
  }

  /**
   * One statement that inserts {@code count} runs, leaving a run whose id is recorded as it is
   * (a redelivery).
   *
   * @param count how many runs
   * @return the SQL
   */
  public static String insertRuns(int count) {
    return "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES " + values(count, RUN_WIDTH)
        + " ON CONFLICT (id) DO NOTHING";
  }

  /**
   * One statement that records {@code count} messages, unless one with the id is recorded.
   *
   * @param count how many messages
   * @return the SQL
   */
  public static String insertMessages(int count) {
    return "INSERT INTO messages (" + MESSAGE_COLUMNS + ") VALUES "
        + values(count, MESSAGE_WIDTH) + " ON CONFLICT (message_id) DO NOTHING";
  }

  private static String values(int rows, int width) {
    String row = "(?" + ", ?".repeat(width - 1) + ")";
    StringBuilder sb = new StringBuilder(rows * (row.length() + 2));
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ", ").append(row);
    }
    return sb.toString();
  }

  /** Schedules or moves a replay. */
  public static final String UPSERT_REPLAY = "INSERT INTO pending_replays (run_id, due_at) "
      + "VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET due_at = excluded.due_at";

  /** Forgets a replay. */
  public static final String DELETE_REPLAY = "DELETE FROM pending_replays WHERE run_id = ?";

  private final Dialect dialect;

  /**
   * Creates the mapping for a dialect.
   *
   * @param dialect the database's dialect
   */
  public Rows(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Binds a run to one row of {@link #upsertRuns} or {@link #insertRuns}.
   *
   * @param s the statement
   * @param at the parameter index before the row's first
   * @param run the run
   * @throws SQLException if binding fails
   */
  public void bindRun(PreparedStatement s, int at, Run run) throws SQLException {
    dialect.setText(s, at + 1, run.id());
    dialect.setText(s, at + 2, run.task());
    dialect.setText(s, at + 3, run.message());
    dialect.setText(s, at + 4, run.messageId());
    dialect.setText(s, at + 5, run.payload());
    dialect.setText(s, at + 6, run.workflowId());
    dialect.setText(s, at + 7, run.parentRunId());
    s.setInt(at + 8, run.attempt());
    s.setString(at + 9, run.status().name());
    dialect.setText(s, at + 10, run.reason());
    if (run.exitCode() == null) {
      s.setNull(at + 11, Types.INTEGER);
    } else {
      s.setInt(at + 11, run.exitCode());
    }
    dialect.setText(s, at + 12, run.worker());
    instant(s, at + 13, "queued_at", run.queuedAt());
    instant(s, at + 14, "started_at", run.startedAt());
    instant(s, at + 15, "finished_at", run.finishedAt());
    dialect.setText(s, at + 16, run.output());
  }

  /**
   * Reads a run from a row selected with {@link #RUN_COLUMNS}.
   *
   * @param row the result set, on a row
   * @return the run
   * @throws SQLException if reading fails
   */
  public Run run(ResultSet row) throws SQLException {
    int exit = row.getInt("exit_code");
    Integer exitCode = row.wasNull() ? null : exit;
    return new Run(row.getString("id"), row.getString("task"), row.getString("message"),
        row.getString("message_id"), row.getString("payload"), row.getString("workflow_id"),
        row.getString("parent_run_id"), row.getInt("attempt"),
        RunStatus.valueOf(row.getString("status")), row.getString("reason"), exitCode,
        row.getString("worker"), required(row, "queued_at"), dialect.getInstant(row, "started_at"),
        dialect.getInstant(row, "finished_at"), row.getString("output"));
  }

  /**
   * Binds a message to one row of {@link #insertMessages}.
   *
   * @param s the statement
   * @param at the parameter index before the row's first
   * @param message the message
   * @throws SQLException if binding fails
   */
  public void bindMessage(PreparedStatement s, int at, Message message) throws SQLException {
    dialect.setText(s, at + 1, message.id());
    dialect.setText(s, at + 2, message.text());
    dialect.setText(s, at + 3, message.payload());
    dialect.setText(s, at + 4, message.workflowId());
    dialect.setText(s, at + 5, message.parentRunId());
    dialect.setText(s, at + 6, message.task());
    instant(s, at + 7, "sent_at", message.sentAt());
  }

  /**
   * Reads a message from a row selected with {@link #MESSAGE_COLUMNS}.
   *
   * @param row the result set, on a row
   * @return the message
   * @throws SQLException if reading fails
   */
  public Message message(ResultSet row) throws SQLException {
    return new Message(row.getString("message_id"), row.getString("text"),
        row.getString("payload"), row.getString("workflow_id"), row.getString("parent_run_id"),
        row.getString("task"), required(row, "sent_at"));
  }

  /**
   * Binds a replay to {@link #UPSERT_REPLAY}.
   *
   * @param s the statement
   * @param replay the replay
   * @throws SQLException if binding fails
   */
  public void bindReplay(PreparedStatement s, PendingReplay replay) throws SQLException {
    dialect.setText(s, 1, replay.runId());
    instant(s, 2, "due_at", replay.dueAt());
  }

  /**
   * Reads a pending replay from a row of {@code pending_replays}.
   *
   * @param row the result set, on a row
   * @return the replay
   * @throws SQLException if reading fails
   */
  public PendingReplay replay(ResultSet row) throws SQLException {
    return new PendingReplay(row.getString("run_id"), required(row, "due_at"));
  }

  /**
   * The dialect these rows are for.
   *
   * @return the dialect
   */
  public Dialect dialect() {
    return dialect;
  }

  private void instant(PreparedStatement s, int index, String column, @Nullable Instant instant)
      throws SQLException {
    try {
      dialect.setInstant(s, index, instant);
    } catch (SQLDataException e) {
      throw new SQLDataException(column + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  private Instant required(ResultSet row, String column) throws SQLException {
    return Objects.requireNonNull(dialect.getInstant(row, column), column);
  }
}
