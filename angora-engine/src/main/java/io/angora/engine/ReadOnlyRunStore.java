package io.angora.engine;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStore;
import io.angora.api.StoreHealth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Angora#runs()} hands out: the run store, read-only. The coordinator is the store's
 * only writer, so every read (and {@link #flush()}, which changes nothing) passes through and
 * every write throws {@link UnsupportedOperationException} naming the method; so does
 * {@link #close()}, since {@link Angora#close()} closes the store. A store that reports its
 * {@link StoreHealth} is viewed as one too, so callers that test for it keep working. As
 * thread-safe as the store.
 */
sealed class ReadOnlyRunStore implements RunStore permits ReadOnlyRunStore.WithHealth {
  private final RunStore store;

  private ReadOnlyRunStore(RunStore store) {
    this.store = store;
  }

  /**
   * Views a store read-only.
   *
   * @param store the store
   * @return the view; a {@link StoreHealth} too when the store is one
   */
  static RunStore of(RunStore store) {
    return store instanceof StoreHealth health ? new WithHealth(store, health)
        : new ReadOnlyRunStore(store);
  }

  private static UnsupportedOperationException refused(String method) {
    return new UnsupportedOperationException("RunStore." + method + " through Angora.runs(): "
        + "the view is read-only, the coordinator is the run store's only writer");
  }

  @Override
  public void insert(Run run) {
    throw refused("insert");
  }

  @Override
  public void update(Run run) {
    throw refused("update");
  }

  @Override
  public Optional<Run> find(String runId) {
    return store.find(runId);
  }

  @Override
  public RunPage query(RunQuery query) {
    return store.query(query);
  }

  @Override
  public List<Run> workflow(String workflowId) {
    return store.workflow(workflowId);
  }

  @Override
  public Optional<Run> latest(String task, @Nullable String workflowId) {
    return store.latest(task, workflowId);
  }

  @Override
  public List<Run> unfinished() {
    return store.unfinished();
  }

  @Override
  public void recordMessage(Message message) {
    throw refused("recordMessage");
  }

  @Override
  public List<Message> recentMessages(int limit) {
    return store.recentMessages(limit);
  }

  @Override
  public Optional<Message> findMessage(String messageId) {
    return store.findMessage(messageId);
  }

  @Override
  public void scheduleReplay(PendingReplay replay) {
    throw refused("scheduleReplay");
  }

  @Override
  public void removeReplay(String runId) {
    throw refused("removeReplay");
  }

  @Override
  public List<PendingReplay> pendingReplays() {
    return store.pendingReplays();
  }

  @Override
  public Optional<Instant> lastFire(String schedule) {
    return store.lastFire(schedule);
  }

  @Override
  public void recordFire(String schedule, Instant fireTime) {
    throw refused("recordFire");
  }

  @Override
  public boolean schedulePaused(String schedule) {
    return store.schedulePaused(schedule);
  }

  @Override
  public void setSchedulePaused(String schedule, boolean paused) {
    throw refused("setSchedulePaused");
  }

  @Override
  public CompletableFuture<Void> flush() {
    return store.flush();
  }

  /** Refused: {@link Angora#close()} closes the store. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("RunStore.close through Angora.runs(): "
        + "Angora.close() closes the run store");
  }

  @Override
  public String toString() {
    return "read-only " + store;
  }

  /** The view of a store that reports its health: the reports pass through. */
  static final class WithHealth extends ReadOnlyRunStore implements StoreHealth {
    private final StoreHealth health;

    private WithHealth(RunStore store, StoreHealth health) {
      super(store);
      this.health = health;
    }

    @Override
    public int pendingWrites() {
      return health.pendingWrites();
    }

    @Override
    public int maxPendingWrites() {
      return health.maxPendingWrites();
    }

    @Override
    public long refusedWrites() {
      return health.refusedWrites();
    }

    @Override
    public boolean writesFailing() {
      return health.writesFailing();
    }
  }
}
