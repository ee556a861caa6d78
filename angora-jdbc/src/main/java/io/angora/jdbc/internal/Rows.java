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
 * that write them (upserts, so a retried batch and a re-recorded message are harmless).
 *
 * <p>Immutable and thread-safe.
 */
public final class Rows {
  /** The columns of {@code runs}, in the order {@link #bindRun} binds them. */
  public static final String RUN_COLUMNS = "id, task, message, message_id, payload, workflow_id, "
      + "parent_run_id, attempt, status, reason, exit_code, worker, queued_at, started_at, "
      + "finished_at, output";

  /** Inserts or replaces a run. */
  public static final String UPSERT_RUN = "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES "
      + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
      + "task = excluded.task, message = excluded.message, message_id = excluded.message_id, "
      + "payload = excluded.payload, workflow_id = excluded.workflow_id, "
      + "parent_run_id = excluded.parent_run_id, attempt = excluded.attempt, "
      + "status = excluded.status, reason = excluded.reason, exit_code = excluded.exit_code, "
      + "worker = excluded.worker, queued_at = excluded.queued_at, "
      + "started_at = excluded.started_at, finished_at = excluded.finished_at, "
      + "output = excluded.output";

  /** Inserts a run unless one with its id is recorded (a redelivery leaves it as it is). */
  public static final String INSERT_RUN = "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES "
      + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

  /** The columns of {@code messages} that {@link #bindMessage} binds. */
  public static final String MESSAGE_COLUMNS =
      "message_id, text, payload, workflow_id, parent_run_id, task, sent_at";

  /** Records a message unless one with its id is recorded (a redelivery). */
  public static final String INSERT_MESSAGE = "INSERT INTO messages (" + MESSAGE_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING";

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
   * Binds a run to {@link #UPSERT_RUN} or {@link #INSERT_RUN}.
   *
   * @param s the statement
   * @param run the run
   * @throws SQLException if binding fails
   */
  public void bindRun(PreparedStatement s, Run run) throws SQLException {
    dialect.setText(s, 1, run.id());
    dialect.setText(s, 2, run.task());
    dialect.setText(s, 3, run.message());
    dialect.setText(s, 4, run.messageId());
    dialect.setText(s, 5, run.payload());
    dialect.setText(s, 6, run.workflowId());
    dialect.setText(s, 7, run.parentRunId());
    s.setInt(8, run.attempt());
    s.setString(9, run.status().name());
    dialect.setText(s, 10, run.reason());
    if (run.exitCode() == null) {
      s.setNull(11, Types.INTEGER);
    } else {
      s.setInt(11, run.exitCode());
    }
    dialect.setText(s, 12, run.worker());
    instant(s, 13, "queued_at", run.queuedAt());
    instant(s, 14, "started_at", run.startedAt());
    instant(s, 15, "finished_at", run.finishedAt());
    dialect.setText(s, 16, run.output());
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
   * Binds a message to {@link #INSERT_MESSAGE}.
   *
   * @param s the statement
   * @param message the message
   * @throws SQLException if binding fails
   */
  public void bindMessage(PreparedStatement s, Message message) throws SQLException {
    dialect.setText(s, 1, message.id());
    dialect.setText(s, 2, message.text());
    dialect.setText(s, 3, message.payload());
    dialect.setText(s, 4, message.workflowId());
    dialect.setText(s, 5, message.parentRunId());
    dialect.setText(s, 6, message.task());
    instant(s, 7, "sent_at", message.sentAt());
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
