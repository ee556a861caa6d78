package io.angora.jdbc;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStore;
import io.angora.api.StoreException;
import io.angora.jdbc.internal.ConnectionPool;
import io.angora.jdbc.internal.PendingWrites;
import io.angora.jdbc.internal.Pruner;
import io.angora.jdbc.internal.Reads;
import io.angora.jdbc.internal.ScheduleRows;
import io.angora.jdbc.internal.SqliteFileLock;
import io.angora.jdbc.internal.Writer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RunStore} in a relational database: an SQLite file (WAL mode; the embedded default)
 * or PostgreSQL. The schema is created and migrated when the store opens; a database written by
 * a newer Angora is refused.
 *
 * <p>Writes return at once: one writer thread ({@code angora-jdbc-writer}) commits them in
 * batches, and until then reads merge them in, so a read sees every write that returned before
 * it. When the database fails (unreachable, disk full), writes stay in memory (memory grows
 * with them until it recovers) and are retried with backoff, logging one line when writing
 * stops and one when it resumes; {@link #close()} writes out everything still pending. A
 * process killed right after a write may lose that last write (the writer commits within
 * about a millisecond); a run whose outcome was lost so is found unfinished at the next start
 * and treated as interrupted by the engine. History beyond the {@link RetentionPolicy} is
 * pruned in the background ({@code angora-jdbc-pruner}). Instants are kept to the microsecond.
 *
 * <p>Schedule state ({@link #recordFire}, {@link #setSchedulePaused}) is the exception: those
 * rare writes are committed before they return, so a fire time recorded before its message is
 * sent survives a crash right after the send and a restarted coordinator does not fire it again.
 * On SQLite a commit survives a killed process, not a power loss (synchronous NORMAL in WAL
 * mode); on PostgreSQL it is as durable as the server's {@code synchronous_commit} makes it.
 * When the database fails these writes throw a {@link StoreException} instead of waiting in
 * memory, and the scheduler then does not send that message.
 *
 * <p>Thread-safe.
 */
public final class JdbcRunStore implements RunStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcRunStore.class);

  private final String name;
  private final PendingWrites pending;
  private final Reads reads;
  private final ScheduleRows schedules;
  private final ConnectionPool pool;
  private final Writer writer;
  private final Thread writerThread;
  private final Pruner pruner;
  private final @Nullable ScheduledExecutorService pruning;
  private final @Nullable SqliteFileLock lock;
  private final Duration closeTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  JdbcRunStore(String name, PendingWrites pending, Reads reads, ScheduleRows schedules,
      ConnectionPool pool, Writer writer, Pruner pruner, @Nullable Duration pruneEvery,
      @Nullable SqliteFileLock lock, Duration closeTimeout) {
    this.name = name;
    this.pending = pending;
    this.reads = reads;
    this.schedules = schedules;
    this.pool = pool;
    this.writer = writer;
    this.pruner = pruner;
    this.lock = lock;
    this.closeTimeout = closeTimeout;
    this.writerThread = new Thread(writer, "angora-jdbc-writer");
    writerThread.setDaemon(true);
    writerThread.start();
    if (pruneEvery == null) {
      this.pruning = null;
    } else {
      this.pruning = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "angora-jdbc-pruner");
        thread.setDaemon(true);
        return thread;
      });
      long every = pruneEvery.toMillis();
      // The first pruning comes soon, so a store opened with a stricter policy shrinks early.
      long first = Math.min(every, Duration.ofMinutes(1).toMillis());
      pruning.scheduleWithFixedDelay(this::pruneQuietly, first, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Opens (creating if needed) a store in an SQLite file with default settings.
   *
   * @param file the database file; {@code <file>.lock} is created beside it
   * @return the open store
   * @throws StoreException if the file is in use by another process, cannot be opened, or was
   *     written by a newer Angora
   */
  public static JdbcRunStore sqlite(Path file) {
    return builder(file).build();
  }

  /**
   * Opens a store by JDBC URL with default settings: {@code jdbc:sqlite:FILE} or
   * {@code jdbc:postgresql://HOST:PORT/DATABASE?user=...}.
   *
   * @param jdbcUrl the URL
   * @return the open store
   * @throws StoreException if the URL is not supported or the database cannot be opened
   */
  public static JdbcRunStore open(String jdbcUrl) {
    return builder(jdbcUrl).build();
  }

  /**
   * Starts configuring a store in an SQLite file.
   *
   * @param file the database file
   * @return a builder
   */
  public static JdbcRunStoreBuilder builder(Path file) {
    return new JdbcRunStoreBuilder(file);
  }

  /**
   * Starts configuring a store by JDBC URL ({@code jdbc:sqlite:} or {@code jdbc:postgresql:}).
   *
   * @param jdbcUrl the URL
   * @return a builder
   */
  public static JdbcRunStoreBuilder builder(String jdbcUrl) {
    return new JdbcRunStoreBuilder(jdbcUrl);
  }

  @Override
  public void insert(Run run) {
    ensureOpen();
    pending.putRun(run);
  }

  @Override
  public void update(Run run) {
    ensureOpen();
    pending.putRun(run);
  }

  @Override
  public Optional<Run> find(String runId) {
    return reads.find(runId);
  }

  @Override
  public RunPage query(RunQuery query) {
    return reads.query(query);
  }

  @Override
  public List<Run> workflow(String workflowId) {
    return reads.workflow(workflowId);
  }

  @Override
  public Optional<Run> latest(String task, @Nullable String workflowId) {
    return reads.query(new RunQuery(task, null, workflowId, null, 1)).runs().stream().findFirst();
  }

  @Override
  public List<Run> unfinished() {
    return reads.unfinished();
  }

  @Override
  public void recordMessage(Message message) {
    ensureOpen();
    pending.putMessage(message);
  }

  @Override
  public List<Message> recentMessages(int limit) {
    return reads.recentMessages(limit);
  }

  @Override
  public Optional<Message> findMessage(String messageId) {
    return reads.findMessage(messageId);
  }

  @Override
  public void scheduleReplay(PendingReplay replay) {
    ensureOpen();
    pending.putReplay(replay.runId(), replay);
  }

  @Override
  public void removeReplay(String runId) {
    ensureOpen();
    pending.putReplay(runId, null);
  }

  @Override
  public List<PendingReplay> pendingReplays() {
    return reads.pendingReplays();
  }

  @Override
  public Optional<Instant> lastFire(String schedule) {
    return schedules.lastFire(schedule);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Committed before it returns (not batched), so the fire time is durable before the
   * scheduler sends the message.
   *
   * @throws StoreException if the database fails; nothing was recorded then
   */
  @Override
  public void recordFire(String schedule, Instant fireTime) {
    ensureOpen();
    schedules.recordFire(schedule, fireTime);
  }

  @Override
  public boolean schedulePaused(String schedule) {
    return schedules.paused(schedule);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Committed before it returns (not batched).
   *
   * @throws StoreException if the database fails; nothing was recorded then
   */
  @Override
  public void setSchedulePaused(String schedule, boolean paused) {
    ensureOpen();
    schedules.setPaused(schedule, paused);
  }

  /**
   * Waits until every write accepted so far is committed.
   *
   * @param timeout the longest wait
   * @throws StoreException if writes are still pending after the timeout (the database fails)
   */
  public void flush(Duration timeout) {
    try {
      if (!pending.awaitEmpty(timeout)) {
        throw new StoreException("run store " + name + ": " + pending.size()
            + " writes still pending after " + timeout + "; last failure: " + writer.failure());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("run store " + name + ": interrupted while flushing", e);
    }
  }

  /**
   * Deletes, now, the history the retention policy no longer keeps (the store also does it in
   * the background).
   *
   * @return how many runs and messages were deleted
   * @throws StoreException if the database fails
   */
  public long prune() {
    try {
      Pruner.Result result = pruner.prune();
      return result.runs() + result.messages();
    } catch (SQLException e) {
      throw new StoreException("run store " + name + ": pruning failed: " + e.getMessage(), e);
    }
  }

  private void pruneQuietly() {
    try {
      pruner.prune();
    } catch (SQLException | RuntimeException e) {
      log.warn("run store {}: pruning failed, will try again later: {}", name, e.toString(), e);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new StoreException("run store " + name + " is closed");
    }
  }

  /**
   * Writes out everything pending (waiting up to the configured close timeout when the
   * database fails), stops the background threads and releases the database. Idempotent.
   *
   * @throws StoreException if some writes could not be written; they are named
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (pruning != null) {
      pruning.shutdownNow();
    }
    pending.close();
    int lost = 0;
    List<String> lostRuns = List.of();
    try {
      writerThread.join(closeTimeout.toMillis());
      if (writerThread.isAlive()) {
        lost = pending.size();
        lostRuns = pending.runIds(50);
        writerThread.interrupt();
        writerThread.join(closeTimeout.toMillis());
      }
      if (pruning != null) {
        pruning.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.close();
      if (lock != null) {
        lock.close();
      }
    }
    if (lost > 0) {
      String message = "run store " + name + ": closed with " + lost + " writes not written "
          + "after " + closeTimeout + " (last failure: " + writer.failure() + "); runs concerned: "
          + lostRuns;
      log.error(message);
      throw new StoreException(message);
    }
  }

  @Override
  public String toString() {
    return "JdbcRunStore[" + name + "]";
  }
}
