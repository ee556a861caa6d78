package io.angora.engine.internal.scheduling;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStore;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A run store without the optional schedule state: it keeps the defaults, which throw. */
final class BareStore implements RunStore {
  private final RunStore runs;

  BareStore(RunStore runs) {
    this.runs = runs;
  }

  @Override
  public void insert(Run run) {
    runs.insert(run);
  }

  @Override
  public void update(Run run) {
    runs.update(run);
  }

  @Override
  public Optional<Run> find(String runId) {
    return runs.find(runId);
  }

  @Override
  public RunPage query(RunQuery query) {
    return runs.query(query);
  }

  @Override
  public List<Run> workflow(String workflowId) {
    return runs.workflow(workflowId);
  }

  @Override
  public Optional<Run> latest(String task, @Nullable String workflowId) {
    return runs.latest(task, workflowId);
  }

  @Override
  public List<Run> unfinished() {
    return runs.unfinished();
  }

  @Override
  public void recordMessage(Message message) {
    runs.recordMessage(message);
  }

  @Override
  public List<Message> recentMessages(int limit) {
    return runs.recentMessages(limit);
  }

  @Override
  public Optional<Message> findMessage(String messageId) {
    return runs.findMessage(messageId);
  }

  @Override
  public void scheduleReplay(PendingReplay replay) {
    runs.scheduleReplay(replay);
  }

  @Override
  public void removeReplay(String runId) {
    runs.removeReplay(runId);
  }

  @Override
  public List<PendingReplay> pendingReplays() {
    return runs.pendingReplays();
  }

  @Override
  public void close() {
    runs.close();
  }
}
