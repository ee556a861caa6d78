package io.angora.engine;

import io.angora.api.Message;
import io.angora.api.NotFoundException;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The embedded run store: runs, messages, replays and schedule state in this JVM's memory,
 * lost on exit.
 * Bounded: beyond {@code maxRuns} the oldest finished runs are forgotten, beyond
 * {@code maxMessages} the oldest messages. A write is complete when it returns, so
 * {@link #flush()} answers a completed future. Thread-safe (one lock; the coordinator is its only
 * writer).
 */
public final class InMemoryRunStore implements RunStore {
  /** Default bound on kept runs. */
  public static final int DEFAULT_MAX_RUNS = 100_000;

  private final int maxRuns;
  private final int maxMessages;
  private final TreeMap<String, Run> runs = new TreeMap<>();
  private final Map<String, NavigableSet<String>> byTask = new HashMap<>();
  private final Map<String, NavigableSet<String>> byWorkflow = new HashMap<>();
  private final TreeSet<String> unfinished = new TreeSet<>();
  private final Map<String, Message> messagesById = new HashMap<>();
  private final Deque<Message> messages = new ArrayDeque<>();
  private final Map<String, PendingReplay> replays = new HashMap<>();
  private final Map<String, Instant> lastFires = new HashMap<>();
  private final Set<String> pausedSchedules = new HashSet<>();

  /** Creates a store keeping at most {@link #DEFAULT_MAX_RUNS} runs and 10 000 messages. */
  public InMemoryRunStore() {
    this(DEFAULT_MAX_RUNS, 10_000);
  }

  /**
   * Creates a store with bounds.
   *
   * @param maxRuns finished runs beyond this many are forgotten, oldest first
   * @param maxMessages messages beyond this many are forgotten, oldest first
   */
  public InMemoryRunStore(int maxRuns, int maxMessages) {
    if (maxRuns < 1 || maxMessages < 1) {
      throw new IllegalArgumentException("bounds must be positive");
    }
    this.maxRuns = maxRuns;
    this.maxMessages = maxMessages;
  }

  @Override
  public synchronized void insert(Run run) {
    if (runs.putIfAbsent(run.id(), run) != null) {
      return; // Recorded already (a redelivery): the recorded run stands.
    }
    byTask.computeIfAbsent(run.task(), k -> new TreeSet<>()).add(run.id());
    byWorkflow.computeIfAbsent(run.workflowId(), k -> new TreeSet<>()).add(run.id());
    if (!run.status().isFinal()) {
      unfinished.add(run.id());
    }
    if (runs.size() > maxRuns) {
      evictOldestFinished();
    }
  }

  @Override
  public synchronized void update(Run run) {
    Run old = runs.get(run.id());
    if (old == null) {
      throw new NotFoundException("run", run.id());
    }
    if (!old.task().equals(run.task()) || !old.workflowId().equals(run.workflowId())) {
      throw new IllegalArgumentException("run " + run.id() + ": task and workflow cannot change");
    }
    runs.put(run.id(), run);
    if (run.status().isFinal()) {
      unfinished.remove(run.id());
    } else {
      unfinished.add(run.id());
    }
  }

  @Override
  public synchronized Optional<Run> find(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  @Override
  public synchronized RunPage query(RunQuery query) {
    NavigableSet<String> ids;
    if (query.workflowId() != null) {
      ids = byWorkflow.getOrDefault(query.workflowId(), new TreeSet<>());
    } else if (query.task() != null) {
      ids = byTask.getOrDefault(query.task(), new TreeSet<>());
    } else {
      ids = runs.navigableKeySet();
    }
    NavigableSet<String> range = query.before() == null
        ? ids.descendingSet() : ids.headSet(query.before(), false).descendingSet();
    List<Run> page = new ArrayList<>();
    @Nullable String next = null;
    for (String id : range) {
      Run run = runs.get(id);
      if (!matches(run, query)) {
        continue;
      }
      if (page.size() == query.limit()) {
        next = page.get(page.size() - 1).id();
        break;
      }
      page.add(run);
    }
    return new RunPage(page, next);
  }

  private static boolean matches(Run run, RunQuery query) {
    return (query.task() == null || query.task().equals(run.task()))
        && (query.status() == null || query.status() == run.status())
        && (query.workflowId() == null || query.workflowId().equals(run.workflowId()));
  }

  @Override
  public synchronized List<Run> workflow(String workflowId) {
    return byWorkflow.getOrDefault(workflowId, new TreeSet<>()).stream().map(runs::get).toList();
  }

  @Override
  public synchronized Optional<Run> latest(String task, @Nullable String workflowId) {
    NavigableSet<String> ids = byTask.get(task);
    if (ids == null) {
      return Optional.empty();
    }
    if (workflowId == null) {
      return Optional.of(runs.get(ids.last()));
    }
    NavigableSet<String> inWorkflow = byWorkflow.get(workflowId);
    if (inWorkflow == null) {
      return Optional.empty();
    }
    // Walk the smaller set: a workflow usually has few runs, a task may have many.
    NavigableSet<String> walk = inWorkflow.size() <= ids.size() ? inWorkflow : ids;
    for (String id : walk.descendingSet()) {
      Run run = runs.get(id);
      if (run.task().equals(task) && run.workflowId().equals(workflowId)) {
        return Optional.of(run);
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized List<Run> unfinished() {
    return unfinished.stream().map(runs::get).toList();
  }

  @Override
  public synchronized void recordMessage(Message message) {
    if (messagesById.putIfAbsent(message.id(), message) == null) {
      messages.addFirst(message);
    }
    while (messages.size() > maxMessages) {
      messagesById.remove(messages.removeLast().id());
    }
  }

  @Override
  public synchronized List<Message> recentMessages(int limit) {
    return messages.stream().limit(limit).toList();
  }

  @Override
  public synchronized Optional<Message> findMessage(String messageId) {
    return Optional.ofNullable(messagesById.get(messageId));
  }

  @Override
  public synchronized void scheduleReplay(PendingReplay replay) {
    replays.put(replay.runId(), replay);
  }

  @Override
  public synchronized void removeReplay(String runId) {
    replays.remove(runId);
  }

  @Override
  public synchronized List<PendingReplay> pendingReplays() {
    return replays.values().stream()
        .sorted(Comparator.comparing(PendingReplay::dueAt).thenComparing(PendingReplay::runId))
        .toList();
  }

  @Override
  public synchronized Optional<Instant> lastFire(String schedule) {
    return Optional.ofNullable(lastFires.get(schedule));
  }

  @Override
  public synchronized void recordFire(String schedule, Instant fireTime) {
    lastFires.put(schedule, fireTime);
  }

  @Override
  public synchronized boolean schedulePaused(String schedule) {
    return pausedSchedules.contains(schedule);
  }

  @Override
  public synchronized void setSchedulePaused(String schedule, boolean paused) {
    if (paused) {
      pausedSchedules.add(schedule);
    } else {
      pausedSchedules.remove(schedule);
    }
  }

  @Override
  public void close() {
    // Nothing to release: memory goes with the store.
  }

  private void evictOldestFinished() {
    Iterator<Map.Entry<String, Run>> it = runs.entrySet().iterator();
    while (runs.size() > maxRuns && it.hasNext()) {
      Run run = it.next().getValue();
      if (!run.status().isFinal()) {
        continue;
      }
      it.remove();
      removeFrom(byTask, run.task(), run.id());
      removeFrom(byWorkflow, run.workflowId(), run.id());
    }
  }

  private static void removeFrom(Map<String, NavigableSet<String>> index, String key, String id) {
    NavigableSet<String> ids = index.get(key);
    if (ids != null) {
      ids.remove(id);
      if (ids.isEmpty()) {
        index.remove(key);
      }
    }
  }
}
