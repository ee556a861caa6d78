package io.angora.tck;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A run store that hands every call of the required methods (and {@link #flush()}) to another
 * one; the optional schedule state keeps the defaults, which throw. Tests extend it and override
 * the calls whose behaviour they change (a store that fails reads, holds flushes, ...). As
 * thread-safe as the store it wraps.
 */
public class ForwardingRunStore implements RunStore {
  private final RunStore delegate;

  /**
   * Wraps a store.
   *
   * @param delegate the store every call goes to
   */
  public ForwardingRunStore(RunStore delegate) {
    this.delegate = delegate;
  }

  /** The wrapped store. */
  protected RunStore delegate() {
    return delegate;
  }

  @Override
  public void insert(Run run) {
    delegate.insert(run);
  }

  @Override
  public void update(Run run) {
    delegate.update(run);
  }

  @Override
  public Optional<Run> find(String runId) {
    return delegate.find(runId);
  }

  @Override
  public RunPage query(RunQuery query) {
    return delegate.query(query);
  }

  @Override
  public List<Run> workflow(String workflowId) {
    return delegate.workflow(workflowId);
  }

  @Override
  public Optional<Run> latest(String task, @Nullable String workflowId) {
    return delegate.latest(task, workflowId);
  }

  @Override
  public List<Run> unfinished() {
    return delegate.unfinished();
  }

  @Override
  public void recordMessage(Message message) {
    delegate.recordMessage(message);
  }

  @Override
  public List<Message> recentMessages(int limit) {
    return delegate.recentMessages(limit);
  }

  @Override
  public Optional<Message> findMessage(String messageId) {
    return delegate.findMessage(messageId);
  }

  @Override
  public void scheduleReplay(PendingReplay replay) {
    delegate.scheduleReplay(replay);
  }

  @Override
  public void removeReplay(String runId) {
    delegate.removeReplay(runId);
  }

  @Override
  public List<PendingReplay> pendingReplays() {
    return delegate.pendingReplays();
  }

  @Override
  public CompletableFuture<Void> flush() {
    return delegate.flush();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
