package io.angora.jdbc.internal;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.StoreException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Writes accepted but not yet committed: the writer's queue, the overlay that reads merge into
 * database results (read-your-writes), and the flushes waiting for them. Several writes to one
 * run or one replay keep only the newest state; each kind is written oldest first.
 *
 * <p>Every write gets a sequence number. An entry remembers the oldest write it stands for, so
 * a flush waits until every write numbered up to its target is committed or refused. The
 * number of entries is bounded: a write that would add one beyond the bound blocks its caller
 * until the writer makes room (the writer's own thread never blocks, so a flush's dependent
 * stage that writes cannot deadlock it).
 *
 * <p>Thread-safe: one lock guards everything; reads copy what they need under it. Reads take
 * what they merge before they query the database: a write committed in between is then seen in
 * one or both, and merging by id keeps the pending (newer or equal) state. Flushes are completed
 * outside the lock.
 */
public final class PendingWrites {
  /** How many refusals are remembered for the flushes that must report them. */
  private static final int REMEMBERED_REFUSALS = 1000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Condition space = lock.newCondition();
  /** Signalled only by {@link #close}, so new writes do not cut a retry backoff short. */
  private final Condition closed = lock.newCondition();
  private final int limit;
  private final LinkedHashMap<String, Entry<Run>> runs = new LinkedHashMap<>();
  private final LinkedHashMap<String, Entry<Message>> messages = new LinkedHashMap<>();
  /** Per run id: the replay to schedule, or empty to remove it. */
  private final LinkedHashMap<String, Entry<Optional<PendingReplay>>> replays =
      new LinkedHashMap<>();
  private final PriorityQueue<Flush> flushes =
      new PriorityQueue<>((a, b) -> Long.compare(a.target, b.target));
  private final ArrayDeque<Refusal> refusals = new ArrayDeque<>();
  /**
   * How many entries have each oldest sequence number ({@link Entry#first}): the oldest write
   * not committed is its first key, found without scanning every entry at each flush.
   */
  private final TreeMap<Long, Integer> firsts = new TreeMap<>();
  /** Per thread: the target of its last flush, so a flush reports that thread's refusals. */
  private final ThreadLocal<long[]> lastFlush = ThreadLocal.withInitial(() -> new long[1]);
  private long lastSeq;
  /** When the writer last took a batch ({@link System#nanoTime()}), or null before the first. */
  private @Nullable Long lastTake;
  /**
   * Whether the next batch is spaced: the last one completed several flushes, or a flush came
   * while it was written. Neither happens to one thread that waits for each of its flushes.
   */
  private boolean spaced;
  /** Whether a flush came since the writer took its last batch. */
  private boolean flushedWhileWriting;
  /** How many entries wake the writer waiting in {@link #take}. */
  private int wakeAtSize = 1;
  /** Whether a flush that waits for a pending write wakes the writer waiting in take. */
  private boolean wakeOnFlush;
  private long refusedCount;
  private @Nullable Thread writerThread;
  private boolean closing;

  /**
   * Creates an empty queue.
   *
   * @param limit the most entries before a write blocks
   */
  public PendingWrites(int limit) {
    this.limit = limit;
  }

  /**
   * A pending write of one key.
   *
   * @param value the newest value
   * @param first the sequence number of the oldest write it stands for that is not committed
   * @param last the sequence number of the newest write
   * @param insertOnly whether only inserts were made: a row already recorded is left as it is
   * @param by the thread of the newest write, to whose flushes a refusal is reported
   * @param <T> the value's type
   */
  public record Entry<T>(T value, long first, long last, boolean insertOnly, Thread by) {}

  /**
   * A set of writes taken for one transaction.
   *
   * @param runs runs to upsert (or insert when absent, for insert-only entries)
   * @param messages messages to record, oldest first
   * @param replays per run id, the replay to upsert or empty to delete
   */
  public record Batch(List<Entry<Run>> runs, List<Entry<Message>> messages,
      Map<String, Entry<Optional<PendingReplay>>> replays) {
    /**
     * How many writes the batch holds.
     *
     * @return the count
     */
    public int size() {
      return runs.size() + messages.size() + replays.size();
    }
  }

  private static final class Flush {
    final long target;
    final Thread thread;
    final long previous;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    @Nullable StoreException failure;

    Flush(long target, Thread thread, long previous) {
      this.target = target;
      this.thread = thread;
      this.previous = previous;
    }
  }

  private static final class Refusal {
    final long first;
    final long last;
    final Thread thread;
    final String reason;
    boolean reported;

    Refusal(long first, long last, Thread thread, String reason) {
      this.first = first;
      this.last = last;
      this.thread = thread;
      this.reason = reason;
    }
  }

  /**
   * Records the writer's thread, which never blocks on the bound.
   *
   * @param thread the writer's thread
   */
  public void writerThread(Thread thread) {
    lock.lock();
    try {
      writerThread = thread;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Accepts a run's new state (an update: replaces the recorded run).
   *
   * @param run the run
   */
  public void putRun(Run run) {
    put(runs, run.id(), run, false);
  }

  /**
   * Accepts a new run: recorded unless a run with its id is recorded or pending already.
   *
   * @param run the run
   */
  public void insertRun(Run run) {
    put(runs, run.id(), run, true);
  }

  /**
   * Accepts a received message; a message already pending or recorded is kept as first
   * recorded.
   *
   * @param message the message
   */
  public void putMessage(Message message) {
    put(messages, message.id(), message, true);
  }

  /**
   * Accepts a replay change.
   *
   * @param runId the run whose replay it is
   * @param replay the replay, or null to remove it
   */
  public void putReplay(String runId, @Nullable PendingReplay replay) {
    put(replays, runId, Optional.ofNullable(replay), false);
  }

  private <T> void put(Map<String, Entry<T>> map, String key, T value, boolean insertOnly) {
    lock.lock();
    try {
      Entry<T> old = map.get(key);
      if (old == null) {
        awaitSpace();
        long seq = ++lastSeq;
        map.put(key, new Entry<>(value, seq, seq, insertOnly, Thread.currentThread()));
        countFirst(seq, 1);
      } else if (!insertOnly) {
        map.put(key, new Entry<>(value, old.first(), ++lastSeq, false, Thread.currentThread()));
      }
      // An insert of a key already pending changes nothing: the pending write stands.
      if (size() >= wakeAtSize) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void awaitSpace() {
    while (size() >= limit && !closing && Thread.currentThread() != writerThread) {
      try {
        space.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for the run store to make room "
            + "for a write (" + size() + " pending, bound " + limit + "); write not accepted", e);
      }
    }
    if (closing) {
      throw new StoreException("run store is closing; write not accepted");
    }
  }

  /**
   * The pending state of a run.
   *
   * @param runId the run's id
   * @return the entry, or null when none is pending
   */
  public @Nullable Entry<Run> run(String runId) {
    lock.lock();
    try {
      return runs.get(runId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending runs a read must merge.
   *
   * @param filter which runs
   * @return copies of the matching entries, by id
   */
  public Map<String, Entry<Run>> runs(Predicate<Run> filter) {
    lock.lock();
    try {
      Map<String, Entry<Run>> matching = new HashMap<>();
      for (Entry<Run> entry : runs.values()) {
        if (filter.test(entry.value())) {
          matching.put(entry.value().id(), entry);
        }
      }
      return matching;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending messages.
   *
   * @return a copy, oldest first
   */
  public List<Message> messages() {
    lock.lock();
    try {
      List<Message> copy = new ArrayList<>(messages.size());
      messages.values().forEach(e -> copy.add(e.value()));
      return copy;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending message of an id.
   *
   * @param messageId the id
   * @return the message, or null
   */
  public @Nullable Message message(String messageId) {
    lock.lock();
    try {
      Entry<Message> entry = messages.get(messageId);
      return entry == null ? null : entry.value();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending replay changes.
   *
   * @return a copy: per run id, the replay to schedule or empty to remove it
   */
  public Map<String, Optional<PendingReplay>> replays() {
    lock.lock();
    try {
      Map<String, Optional<PendingReplay>> copy = new LinkedHashMap<>();
      replays.forEach((runId, entry) -> copy.put(runId, entry.value()));
      return copy;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for writes, lingers up to {@code linger} so more join the batch, and takes up to
   * {@code max} writes of each kind, oldest first. They stay pending (visible to reads) until
   * {@link #written} or {@link #refused}.
   *
   * @param max the largest number of writes of each kind
   * @param linger how long to wait for more after the first
   * @return the batch, or null once closing with nothing pending
   * @throws InterruptedException if interrupted while waiting
   */
  public @Nullable Batch take(int max, Duration linger) throws InterruptedException {
    return take(max, linger, Duration.ZERO, Duration.ZERO);
  }

  /**
   * As {@link #take(int, Duration)}, with two more waits that trade a little latency for fewer
   * commits (each costs more than its rows). Writes that no flush waits for yet (a run's start)
   * wait up to {@code unasked} for a flush to ask for them, so that they share its transaction.
   * And after a batch that completed several flushes, or during whose writing a flush came
   * (flushes come from several threads), the next batch is taken no sooner than
   * {@code spacing} after it, unless {@code max} writes are pending: a steady stream of flushes
   * is committed in fewer, larger transactions, while writes after a quiet spell, or the
   * flushes of one thread waiting for each in turn, are taken at once. Reads see the waiting
   * writes meanwhile.
   *
   * @param max the largest number of writes of each kind
   * @param linger how long to wait for more after the first
   * @param unasked how long writes no flush waits for may wait for one
   * @param spacing the least time between two batches taken
   * @return the batch, or null once closing with nothing pending
   * @throws InterruptedException if interrupted while waiting
   */
  public @Nullable Batch take(int max, Duration linger, Duration unasked, Duration spacing)
      throws InterruptedException {
    lock.lock();
    try {
      while (size() == 0) {
        if (closing) {
          return null;
        }
        changed.await();
      }
      wakeAtSize = max;
      try {
        if (flushes.isEmpty() && !unasked.isZero()) {
          wakeOnFlush = true;
          awaitFull(max, System.nanoTime() + unasked.toNanos(), true);
        }
        long deadline = System.nanoTime() + linger.toNanos();
        if (spaced && lastTake != null
            && lastTake + spacing.toNanos() - deadline > 0) {
          deadline = lastTake + spacing.toNanos();
        }
        awaitFull(max, deadline, false);
      } finally {
        wakeAtSize = 1;
        wakeOnFlush = false;
      }
      lastTake = System.nanoTime();
      flushedWhileWriting = false;
      return new Batch(first(runs.values(), max), first(messages.values(), max),
          firstEntries(replays, max));
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the deadline, {@code max} writes, closing, or (if asked) a flush. */
  private void awaitFull(int max, long deadline, boolean untilFlush)
      throws InterruptedException {
    while (!closing && size() < max && !(untilFlush && !flushes.isEmpty())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      changed.awaitNanos(left);
    }
  }

  /**
   * Forgets the writes of a committed batch, except those replaced since it was taken, and
   * completes the flushes that no longer wait for anything.
   *
   * @param batch the committed batch
   */
  public void written(Batch batch) {
    List<Flush> due;
    lock.lock();
    try {
      forget(batch);
      due = dueFlushes();
      spaced = due.size() > 1 || flushedWhileWriting;
      flushedWhileWriting = false;
    } finally {
      lock.unlock();
    }
    complete(due);
  }

  /**
   * Sets aside a write the database refused: it is forgotten, counted, and the flushes that
   * cover it fail with the reason (see {@link #flush}).
   *
   * @param batch a batch of the one refused write
   * @param reason what was refused and why
   */
  public void refused(Batch batch, String reason) {
    List<Flush> due;
    lock.lock();
    try {
      List<Entry<?>> entries = new ArrayList<>(batch.runs());
      entries.addAll(batch.messages());
      entries.addAll(batch.replays().values());
      for (Entry<?> entry : entries) {
        refusedCount++;
        // Not knowing which thread wrote it, remember it for the flushes of every thread
        // that covers it once, and for its writer's thread through the ordinary rule.
        refusals.addLast(new Refusal(entry.first(), entry.last(), entry.by(), reason));
        if (refusals.size() > REMEMBERED_REFUSALS) {
          refusals.removeFirst();
        }
      }
      forget(batch);
      due = dueFlushes();
      spaced = due.size() > 1 || flushedWhileWriting;
      flushedWhileWriting = false;
    } finally {
      lock.unlock();
    }
    complete(due);
  }

  private void forget(Batch batch) {
    batch.runs().forEach(e -> forget(runs, e.value().id(), e));
    batch.messages().forEach(e -> forget(messages, e.value().id(), e));
    batch.replays().forEach((runId, e) -> forget(replays, runId, e));
  }

  private <T> void forget(Map<String, Entry<T>> map, String key, Entry<T> written) {
    Entry<T> now = map.get(key);
    if (now == null) {
      return;
    }
    countFirst(now.first(), -1);
    if (now.last() == written.last()) {
      map.remove(key);
      space.signalAll();
    } else {
      // Changed since taken: what was taken is committed; the newer writes still wait.
      map.put(key, new Entry<>(now.value(), written.last() + 1, now.last(), now.insertOnly(),
          now.by()));
      countFirst(written.last() + 1, 1);
    }
  }

  private void countFirst(long first, int change) {
    firsts.merge(first, change, (a, b) -> a + b == 0 ? null : a + b);
  }

  /**
   * A completion for every write accepted so far: completes once each is committed, or
   * exceptionally when one was refused and set aside. A refusal is reported to the first
   * flush that covers it and to the flushes of the thread that wrote it (made after the
   * write), never again after that, so one refused row does not fail every later flush.
   *
   * @return the completion
   */
  public CompletableFuture<Void> flush() {
    List<Flush> due;
    Flush flush;
    lock.lock();
    try {
      long[] previous = lastFlush.get();
      flush = new Flush(lastSeq, Thread.currentThread(), previous[0]);
      previous[0] = lastSeq;
      flushes.add(flush);
      due = dueFlushes();
      if (!due.contains(flush)) {
        flushedWhileWriting = true;
        if (wakeOnFlush) {
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    complete(due);
    return flush.done;
  }

  private List<Flush> dueFlushes() {
    if (flushes.isEmpty()) {
      return List.of();
    }
    long committed = oldestPending() - 1;
    List<Flush> due = new ArrayList<>();
    while (!flushes.isEmpty() && flushes.peek().target <= committed) {
      Flush flush = flushes.poll();
      List<String> reasons = new ArrayList<>();
      for (Refusal refusal : refusals) {
        if (refusal.first <= flush.target && (!refusal.reported
            || (refusal.thread == flush.thread && refusal.last > flush.previous))) {
          refusal.reported = true;
          reasons.add(refusal.reason);
        }
      }
      if (!reasons.isEmpty()) {
        flush.failure = new StoreException(reasons.size()
            + " write(s) refused by the database and set aside, not recorded: "
            + String.join("; ", reasons.subList(0, Math.min(5, reasons.size()))));
      }
      due.add(flush);
    }
    return due;
  }

  private long oldestPending() {
    return firsts.isEmpty() ? lastSeq + 1 : firsts.firstKey();
  }

  private static void complete(List<Flush> due) {
    for (Flush flush : due) {
      if (flush.failure == null) {
        flush.done.complete(null);
      } else {
        flush.done.completeExceptionally(flush.failure);
      }
    }
  }

  /**
   * Waits until nothing is pending.
   *
   * @param timeout the longest wait
   * @return whether nothing is pending
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (size() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        space.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to a time, or until {@link #close} is called; the writer's pause between retries.
   *
   * @param pause how long
   * @throws InterruptedException if interrupted while waiting
   */
  public void pause(Duration pause) throws InterruptedException {
    lock.lock();
    try {
      closed.await(pause.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      lock.unlock();
    }
  }

  /** Tells {@link #take} to return null once nothing is left, and wakes waiting threads. */
  public void close() {
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
      space.signalAll();
      closed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Fails the flushes still waiting: the store closed before their writes were committed.
   *
   * @param why what happened, naming the store
   */
  public void abandon(String why) {
    List<Flush> left = new ArrayList<>();
    lock.lock();
    try {
      left.addAll(dueFlushes());
      for (Iterator<Flush> it = flushes.iterator(); it.hasNext(); ) {
        Flush flush = it.next();
        flush.failure = new StoreException(why);
        left.add(flush);
        it.remove();
      }
    } finally {
      lock.unlock();
    }
    complete(left);
  }

  /**
   * How many writes are pending.
   *
   * @return the count
   */
  public int size() {
    lock.lock();
    try {
      return runs.size() + messages.size() + replays.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The bound on pending writes.
   *
   * @return the bound
   */
  public int limit() {
    return limit;
  }

  /**
   * How many writes were refused and set aside.
   *
   * @return the count
   */
  public long refusedCount() {
    lock.lock();
    try {
      return refusedCount;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The ids of up to {@code max} pending runs, for error messages.
   *
   * @param max how many at most
   * @return the ids
   */
  public List<String> runIds(int max) {
    lock.lock();
    try {
      return first(runs.keySet(), max);
    } finally {
      lock.unlock();
    }
  }

  private static <T> List<T> first(Iterable<T> values, int max) {
    List<T> taken = new ArrayList<>();
    for (T value : values) {
      if (taken.size() == max) {
        break;
      }
      taken.add(value);
    }
    return taken;
  }

  private static <K, V> Map<K, V> firstEntries(Map<K, V> map, int max) {
    Map<K, V> taken = new LinkedHashMap<>();
    for (Map.Entry<K, V> entry : map.entrySet()) {
      if (taken.size() == max) {
        break;
      }
      taken.put(entry.getKey(), entry.getValue());
    }
    return taken;
  }
}
