package io.angora.jdbc;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStore;
import io.angora.api.StoreException;
import io.angora.api.StoreHealth;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
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
 * <p><b>Durability.</b> Writes return at once: one writer thread ({@code angora-jdbc-writer})
 * commits them in batches, and until then reads merge them in, so a read sees every write that
 * returned before it. A write is durable once a {@link #flush()} called after it has
 * completed; the coordinator acknowledges a delivery only then. A process killed before that
 * may lose the write; a run whose outcome was lost so is found unfinished at the next start.
 * While flushes keep coming from several threads, commits are spaced
 * ({@link JdbcRunStoreBuilder#commitSpacing}, 2 ms by default), so a flush may then complete
 * that much later, in exchange for far fewer commits.
 * {@link #insert} of a run whose id is recorded, and {@link #recordMessage} of a message whose
 * id is recorded, leave the recorded one as it is, so a redelivery neither duplicates nor
 * regresses anything.
 *
 * <p><b>Bounds and backpressure.</b> At most {@link JdbcRunStoreBuilder#maxPendingWrites}
 * writes (each run, message or replay counted once however often it changed) wait in memory.
 * When the database is away or slow, a write that would add one more blocks its caller until
 * the writer makes room: that holds the coordinator's consumers back and messages wait in the
 * broker. Nothing accepted is lost while the process lives: the writer retries with backoff
 * (up to 2 s), logging one line when writing stops and one when it resumes, and writes
 * everything once the database returns; {@link #flush()} waits meanwhile, it does not fail.
 * Reads while the database is away throw a {@link StoreException} promptly (PostgreSQL
 * connections time out after 5 s unless the URL says otherwise).
 *
 * <p><b>Set-aside writes.</b> A write the database refuses (a value it cannot hold, such as an
 * instant beyond its range, which is refused rather than clamped; a constraint; a row too big)
 * is retried alone and then set aside: logged at ERROR with the run or message id and the
 * reason, counted ({@link StoreHealth#refusedWrites()}, shown by {@code /metrics}), and
 * reported by the flushes covering it, which complete exceptionally. It never blocks the writes
 * after it. A failure not known to be a refusal counts as the database being away: rows are set
 * aside only when their fault is certain.
 *
 * <p>History beyond the {@link RetentionPolicy} is pruned in the background
 * ({@code angora-jdbc-pruner}). Instants are kept to the microsecond.
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
public final class JdbcRunStore implements RunStore, StoreHealth {
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

  /**
   * {@inheritDoc}
   *
   * <p>A run whose id is recorded (or pending) is left as it is. Blocks while the pending
   * writes are at their bound.
   *
   * @throws StoreException if the store is closed, or interrupted while blocked
   */
  @Override
  public void insert(Run run) {
    ensureOpen();
    pending.insertRun(run);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A run's task and workflow id are those it was recorded with; they never change. Blocks
   * while the pending writes are at their bound.
   *
   * @throws StoreException if the store is closed, or interrupted while blocked
   */
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

  /**
   * {@inheritDoc}
   *
   * <p>A message whose id is recorded (or pending) is left as it is. Blocks while the pending
   * writes are at their bound.
   */
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
   * {@inheritDoc}
   *
   * <p>Waits (does not fail) while the database is away. Completes exceptionally when a write
   * it covers was refused and set aside (reported to the first flush covering it and to the
   * flushes of the thread that wrote it), or when the store closed first. It completes on the
   * writer's thread: keep dependent stages short, or make them asynchronous.
   */
  @Override
  public CompletableFuture<Void> flush() {
    if (closed.get()) {
      // After close nothing more is written: what is still pending is lost.
      int left = pending.size();
      return left == 0 ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(new StoreException("run store " + name
              + " is closed with " + left + " writes not written"));
    }
    return pending.flush();
  }

  /**
   * Waits until every write accepted so far is committed: {@link #flush()} with a timeout.
   *
   * @param timeout the longest wait
   * @throws StoreException if writes are still pending after the timeout (the database fails),
   *     or one was refused
   */
  public void flush(Duration timeout) {
    try {
      flush().get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new StoreException("run store " + name + ": " + pending.size()
          + " writes still pending after " + timeout + "; last failure: " + writer.failure(), e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StoreException failure ? failure
          : new StoreException("run store " + name + ": flush failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("run store " + name + ": interrupted while flushing", e);
    }
  }

  @Override
  public int pendingWrites() {
    return pending.size();
  }

  @Override
  public int maxPendingWrites() {
    return pending.limit();
  }

  @Override
  public long refusedWrites() {
    return pending.refusedCount();
  }

  @Override
  public boolean writesFailing() {
    return writer.failure() != null;
  }

  /** Statements the writer executed; a JDBC batch row counts as one. For tests. */
  long statementsExecuted() {
    return writer.statements();
  }

  /** Transactions the writer committed. For tests. */
  long transactionsCommitted() {
    return writer.transactions();
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
      pending.abandon("run store " + name + " closed before these writes were committed");
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

  /**
   * Stops as a crash would, for tests: the writer stops after what it is writing, nothing
   * pending is written out, the database and its lock are released.
   */
  void crash() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (pruning != null) {
      pruning.shutdownNow();
    }
    writerThread.interrupt();
    try {
      writerThread.join(closeTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pending.abandon("run store " + name + " crashed");
      pool.close();
      if (lock != null) {
        lock.close();
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcRunStore[" + name + "]";
  }
}
