package io.angora.jdbc.internal;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Answers the {@link io.angora.api.RunStore} reads: queries the database and merges in the
 * writes still pending, so a read sees every write that returned before it. What is pending is
 * taken before the database is read (see {@link PendingWrites}). A run's task and workflow
 * never change, so only pending runs of the queried task and workflow can replace rows.
 *
 * <p>Thread-safe.
 */
public final class Reads {
  private static final String SELECT_RUNS = "SELECT " + Rows.RUN_COLUMNS + " FROM runs";
  private final ConnectionPool pool;
  private final PendingWrites pending;
  private final Rows rows;

  /**
   * Creates the reads.
   *
   * @param pool read connections
   * @param pending the writes not yet committed
   * @param rows the row mapping
   */
  public Reads(ConnectionPool pool, PendingWrites pending, Rows rows) {
    this.pool = pool;
    this.pending = pending;
    this.rows = rows;
  }

  /**
   * See {@link io.angora.api.RunStore#find}.
   *
   * @param runId the id
   * @return the run
   */
  public Optional<Run> find(String runId) {
    PendingWrites.Entry<Run> waiting = pending.run(runId);
    if (waiting != null && !waiting.insertOnly()) {
      return Optional.of(waiting.value());
    }
    Optional<Run> stored = pool.read("run " + runId,
        c -> runs(c, SELECT_RUNS + " WHERE id = ?", 1, runId)).stream().findFirst();
    // A pending insert of a recorded run changes nothing: the recorded run stands.
    return stored.isPresent() || waiting == null ? stored : Optional.of(waiting.value());
  }

  /**
   * See {@link io.angora.api.RunStore#query}.
   *
   * @param query the query
   * @return the page
   */
  public RunPage query(RunQuery query) {
    // Not by status: a pending run whose status changed must still replace its stored row.
    Map<String, PendingWrites.Entry<Run>> overlay = pending.runs(r -> (query.task() == null
        || r.task().equals(query.task()))
        && (query.workflowId() == null || r.workflowId().equals(query.workflowId()))
        && (query.before() == null || r.id().compareTo(query.before()) < 0));
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder(SELECT_RUNS).append(" WHERE 1 = 1");
    if (query.task() != null) {
      sql.append(" AND task = ?");
      args.add(query.task());
    }
    if (query.status() != null) {
      sql.append(" AND status = ?");
      args.add(query.status().name());
    }
    if (query.workflowId() != null) {
      sql.append(" AND workflow_id = ?");
      args.add(query.workflowId());
    }
    if (query.before() != null) {
      sql.append(" AND id < ?");
      args.add(query.before());
    }
    // One more than the page tells whether a next page exists; the overlay may hide as many
    // rows as it holds.
    int fetch = query.limit() + 1 + overlay.size();
    sql.append(" ORDER BY id DESC LIMIT ").append(fetch);
    List<Run> stored = pool.read("runs", c -> runs(c, sql.toString(), fetch, args.toArray()));
    List<Run> merged = merge(stored, overlay, matches(query), Comparator.reverseOrder());
    if (merged.size() <= query.limit()) {
      return new RunPage(merged, null);
    }
    List<Run> page = merged.subList(0, query.limit());
    return new RunPage(page, page.get(page.size() - 1).id());
  }

  /**
   * See {@link io.angora.api.RunStore#workflow}.
   *
   * @param workflowId the workflow id
   * @return the runs, oldest first
   */
  public List<Run> workflow(String workflowId) {
    Map<String, PendingWrites.Entry<Run>> overlay =
        pending.runs(r -> r.workflowId().equals(workflowId));
    List<Run> stored = pool.read("workflow " + workflowId, c -> runs(c,
        SELECT_RUNS + " WHERE workflow_id = ? ORDER BY id", Integer.MAX_VALUE, workflowId));
    return merge(stored, overlay, r -> r.workflowId().equals(workflowId),
        Comparator.naturalOrder());
  }

  /**
   * See {@link io.angora.api.RunStore#unfinished}.
   *
   * @return the runs, oldest first
   */
  public List<Run> unfinished() {
    Map<String, PendingWrites.Entry<Run>> overlay = pending.runs(r -> true);
    List<Run> stored = pool.read("unfinished runs", c -> runs(c,
        SELECT_RUNS + " WHERE status IN ('QUEUED', 'RUNNING') ORDER BY id", Integer.MAX_VALUE));
    return merge(stored, overlay, r -> !r.status().isFinal(), Comparator.naturalOrder());
  }

  /**
   * See {@link io.angora.api.RunStore#recentMessages}.
   *
   * @param limit at most this many
   * @return the messages, newest first
   */
  public List<Message> recentMessages(int limit) {
    List<Message> overlay = pending.messages();
    List<Message> stored = pool.read("messages", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + Rows.MESSAGE_COLUMNS
          + " FROM messages ORDER BY seq DESC LIMIT ?")) {
        s.setInt(1, limit);
        return messages(s);
      }
    });
    // A pending message whose id is recorded changes nothing: the recorded one stands.
    Map<String, Message> recorded = new LinkedHashMap<>();
    stored.forEach(m -> recorded.put(m.id(), m));
    Map<String, Message> merged = new LinkedHashMap<>();
    for (int i = overlay.size() - 1; i >= 0; i--) {
      if (!recorded.containsKey(overlay.get(i).id())) {
        merged.putIfAbsent(overlay.get(i).id(), overlay.get(i));
      }
    }
    merged.putAll(recorded);
    return merged.values().stream().limit(limit).toList();
  }

  /**
   * See {@link io.angora.api.RunStore#findMessage}.
   *
   * @param messageId the id
   * @return the message
   */
  public Optional<Message> findMessage(String messageId) {
    Message waiting = pending.message(messageId);
    Optional<Message> stored = pool.read("message " + messageId, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + Rows.MESSAGE_COLUMNS
          + " FROM messages WHERE message_id = ?")) {
        s.setString(1, messageId);
        return messages(s).stream().findFirst();
      }
    });
    return stored.isPresent() || waiting == null ? stored : Optional.of(waiting);
  }

  /**
   * See {@link io.angora.api.RunStore#pendingReplays}.
   *
   * @return the replays, earliest due first
   */
  public List<PendingReplay> pendingReplays() {
    Map<String, Optional<PendingReplay>> overlay = pending.replays();
    List<PendingReplay> stored = pool.read("pending replays", c -> {
      List<PendingReplay> found = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT run_id, due_at FROM pending_replays");
          ResultSet row = s.executeQuery()) {
        while (row.next()) {
          found.add(rows.replay(row));
        }
      }
      return found;
    });
    Map<String, PendingReplay> merged = new LinkedHashMap<>();
    stored.forEach(r -> merged.put(r.runId(), r));
    overlay.forEach((runId, change) -> {
      merged.remove(runId);
      change.ifPresent(r -> merged.put(runId, r));
    });
    return merged.values().stream().sorted(Comparator.comparing(PendingReplay::dueAt)
        .thenComparing(PendingReplay::runId)).toList();
  }

  private static Predicate<Run> matches(RunQuery q) {
    return r -> (q.task() == null || r.task().equals(q.task()))
        && (q.status() == null || r.status() == q.status())
        && (q.workflowId() == null || r.workflowId().equals(q.workflowId()))
        && (q.before() == null || r.id().compareTo(q.before()) < 0);
  }

  /**
   * Merges pending runs into stored ones: a pending update replaces its stored row; a pending
   * insert only adds a run not stored (a recorded run stands). A pending insert of a run
   * recorded outside the rows read (another status, another page) may show until committed.
   */
  private static List<Run> merge(List<Run> stored, Map<String, PendingWrites.Entry<Run>> overlay,
      Predicate<Run> filter, Comparator<String> order) {
    if (overlay.isEmpty()) {
      return stored;
    }
    TreeMap<String, Run> merged = new TreeMap<>(order);
    for (Run run : stored) {
      PendingWrites.Entry<Run> newer = overlay.get(run.id());
      if (newer == null || newer.insertOnly()) {
        merged.put(run.id(), run);
      }
    }
    for (PendingWrites.Entry<Run> entry : overlay.values()) {
      Run run = entry.value();
      if (filter.test(run) && !(entry.insertOnly() && merged.containsKey(run.id()))) {
        merged.put(run.id(), run);
      }
    }
    return new ArrayList<>(merged.values());
  }

  private List<Run> runs(Connection c, String sql, int max, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      List<Run> found = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next() && found.size() < max) {
          found.add(rows.run(row));
        }
      }
      return found;
    }
  }

  private List<Message> messages(PreparedStatement s) throws SQLException {
    List<Message> found = new ArrayList<>();
    try (ResultSet row = s.executeQuery()) {
      while (row.next()) {
        found.add(rows.message(row));
      }
    }
    return found;
  }
}
