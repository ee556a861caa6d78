package io.angora.engine.internal.memory;

import io.angora.api.Delivery;
import io.angora.api.Subscription;
import io.angora.api.TransportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-memory queue with competing consumers, each with a limit of unsettled deliveries, and
 * a dispatcher thread that hands items out in order. Items are delivered one at a time on the
 * dispatcher thread, so a consumer sees them in publication order, or, for a queue with
 * priorities, higher priority first and in publication order among equals (like a RabbitMQ
 * priority queue). Thread-safe.
 *
 * @param <T> what the queue carries
 */
public final class MemoryQueue<T> {
  private static final Logger log = LoggerFactory.getLogger(MemoryQueue.class);

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Waiting items by priority, lowest first; one deque for a queue without priorities. */
  private final List<Deque<Entry<T>>> levels = new ArrayList<>();
  private final ToIntFunction<T> priority;
  private int waiting;
  private final List<Member> members = new ArrayList<>();
  private final Thread dispatcher;
  private int unsettled;
  private int next;
  private boolean closed;

  /**
   * Creates the queue and starts its dispatcher thread.
   *
   * @param name the queue's name, also in its thread's name
   */
  public MemoryQueue(String name) {
    this(name, 0, item -> 0);
  }

  /**
   * Creates a queue whose items are handed out higher priority first, and starts its
   * dispatcher thread.
   *
   * @param name the queue's name, also in its thread's name
   * @param maxPriority the highest priority; higher values count as it, negative ones as 0
   * @param priority an item's priority
   */
  public MemoryQueue(String name, int maxPriority, ToIntFunction<T> priority) {
    this.name = name;
    this.priority = item -> Math.max(0, Math.min(maxPriority, priority.applyAsInt(item)));
    for (int i = 0; i <= maxPriority; i++) {
      levels.add(new ArrayDeque<>());
    }
    this.dispatcher = new Thread(this::dispatch, "angora-memq-" + name);
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  /**
   * Adds an item at the tail.
   *
   * @param body the item
   * @return a completed future, or a failed one once the queue is closed
   */
  public CompletableFuture<Void> publish(T body) {
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new TransportException("in-memory queue '" + name + "' is closed"));
      }
      levels.get(priority.applyAsInt(body)).addLast(new Entry<>(body, false));
      waiting++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Registers a consumer.
   *
   * @param limit how many deliveries it may hold unsettled; {@code Integer.MAX_VALUE} for no
   *     limit
   * @param handler called on the dispatcher thread for each item
   * @return its subscription
   */
  public Subscription subscribe(int limit, Consumer<Delivery<T>> handler) {
    if (limit < 1) {
      throw new IllegalArgumentException("queue '" + name + "': limit must be 1 or more");
    }
    Member member = new Member(limit, handler);
    lock.lock();
    try {
      if (closed) {
        throw new TransportException("in-memory queue '" + name + "' is closed");
      }
      members.add(member);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return () -> {
      lock.lock();
      try {
        members.remove(member);
      } finally {
        lock.unlock();
      }
    };
  }

  /** Items waiting plus items delivered and not settled. */
  public long depth() {
    lock.lock();
    try {
      return waiting + (long) unsettled;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the dispatcher; items still queued are dropped (this queue does not outlive it). */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() != dispatcher) {
      try {
        dispatcher.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void dispatch() {
    while (true) {
      Entry<T> entry;
      Member member;
      lock.lock();
      try {
        while (true) {
          if (closed) {
            return;
          }
          member = waiting == 0 ? null : freeMember();
          if (member != null) {
            break;
          }
          changed.awaitUninterruptibly();
        }
        entry = next();
        member.holding++;
        unsettled++;
      } finally {
        lock.unlock();
      }
      MemoryDelivery delivery = new MemoryDelivery(entry, member);
      try {
        member.handler.accept(delivery);
      } catch (RuntimeException e) {
        log.error("Consumer of in-memory queue '{}' failed; item dropped", name, e);
        delivery.settle(false);
      }
    }
  }

  /** The first waiting item of the highest priority; call with the lock held, items waiting. */
  private Entry<T> next() {
    for (int i = levels.size() - 1; i >= 0; i--) {
      Entry<T> entry = levels.get(i).pollFirst();
      if (entry != null) {
        waiting--;
        return entry;
      }
    }
    throw new IllegalStateException("in-memory queue '" + name + "' has no waiting item");
  }

  /** Round robin over members with room; call with the lock held. */
  private @Nullable Member freeMember() {
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get((next + i) % members.size());
      if (m.holding < m.limit) {
        next = (next + i + 1) % members.size();
        return m;
      }
    }
    return null;
  }

  private record Entry<T>(T body, boolean redelivered) {}

  private final class Member {
    final int limit;
    final Consumer<Delivery<T>> handler;
    int holding;

    Member(int limit, Consumer<Delivery<T>> handler) {
      this.limit = limit;
      this.handler = handler;
    }
  }

  private final class MemoryDelivery implements Delivery<T> {
    private final Entry<T> entry;
    private final Member member;
    private final AtomicBoolean settled = new AtomicBoolean();

    MemoryDelivery(Entry<T> entry, Member member) {
      this.entry = entry;
      this.member = member;
    }

    @Override
    public T body() {
      return entry.body();
    }

    @Override
    public boolean redelivered() {
      return entry.redelivered();
    }

    @Override
    public void ack() {
      settle(false);
    }

    @Override
    public void reject(String reason) {
      log.warn("In-memory queue '{}' dropped a rejected item: {}", name, reason);
      settle(false);
    }

    @Override
    public void requeue() {
      settle(true);
    }

    void settle(boolean again) {
      if (!settled.compareAndSet(false, true)) {
        return;
      }
      lock.lock();
      try {
        member.holding--;
        unsettled--;
        if (again) {
          levels.get(priority.applyAsInt(entry.body())).addFirst(new Entry<>(entry.body(), true));
          waiting++;
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
