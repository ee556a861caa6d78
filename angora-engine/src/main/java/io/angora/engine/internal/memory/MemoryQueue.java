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
 * a dispatcher thread that hands items out in order. Items are delivered one at a time, so a
 * consumer sees them in publication order, or, for a queue with priorities, higher priority
 * first and in publication order among equals (like a RabbitMQ priority queue). An item is
 * delivered on the dispatcher thread or, when nothing is waiting or being delivered and a
 * consumer has room, on the publishing thread itself (no hand-off), unless that thread is
 * inside a consumer of a queue sharing its {@link Handlers}: a consumer's publication is never
 * handled inside the consumer's own call. Thread-safe.
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
  private final Handlers handlers;
  private int unsettled;
  private int next;
  /** Whether an item is being handed to a consumer now, on any thread. */
  private boolean delivering;
  private boolean closed;

  /**
   * Marks the threads running a consumer of any queue sharing it, so that a publication made
   * by a consumer goes through the dispatcher rather than nesting inside that consumer's call.
   * Thread-safe.
   */
  public static final class Handlers {
    private final ThreadLocal<boolean[]> inside = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Creates a marker for a set of queues. */
    public Handlers() {}
  }

  /**
   * Creates the queue and starts its dispatcher thread.
   *
   * @param name the queue's name, also in its thread's name
   * @param handlers the marker shared by the queues whose consumers may publish to each other
   */
  public MemoryQueue(String name, Handlers handlers) {
    this(name, handlers, 0, item -> 0);
  }

  /**
   * Creates a queue whose items are handed out higher priority first, and starts its
   * dispatcher thread.
   *
   * @param name the queue's name, also in its thread's name
   * @param handlers the marker shared by the queues whose consumers may publish to each other
   * @param maxPriority the highest priority; higher values count as it, negative ones as 0
   * @param priority an item's priority
   */
  public MemoryQueue(String name, Handlers handlers, int maxPriority,
      ToIntFunction<T> priority) {
    this.name = name;
    this.handlers = handlers;
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
    boolean[] inside = handlers.inside.get();
    Member member = null;
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new TransportException("in-memory queue '" + name + "' is closed"));
      }
      Entry<T> entry = new Entry<>(body, false);
      if (!inside[0] && !delivering && waiting == 0) {
        member = freeMember();
      }
      if (member == null) {
        levels.get(priority.applyAsInt(body)).addLast(entry);
        waiting++;
        changed.signalAll();
        return CompletableFuture.completedFuture(null);
      }
      delivering = true;
      member.holding++;
      unsettled++;
      lock.unlock();
      try {
        deliver(entry, member, inside);
      } finally {
        lock.lock();
      }
    } finally {
      if (member != null) {
        delivering = false;
        changed.signalAll(); // the dispatcher may hand out what came meanwhile
      }
      lock.unlock();
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Hands an item to a consumer on this thread, marked as inside a consumer meanwhile. */
  private void deliver(Entry<T> entry, Member member, boolean[] inside) {
    MemoryDelivery delivery = new MemoryDelivery(entry, member);
    inside[0] = true;
    try {
      member.handler.accept(delivery);
    } catch (RuntimeException e) {
      log.error("Consumer of in-memory queue '{}' failed; item dropped", name, e);
      delivery.settle(false);
    } finally {
      inside[0] = false;
    }
  }

  /**
   * Registers a consumer.
   *
   * @param limit how many deliveries it may hold unsettled; {@code Integer.MAX_VALUE} for no
   *     limit
   * @param handler called for each item, on the dispatcher thread or a publishing one
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
          member = waiting == 0 || delivering ? null : freeMember();
          if (member != null) {
            break;
          }
          changed.awaitUninterruptibly();
        }
        entry = next();
        member.holding++;
        unsettled++;
        delivering = true;
      } finally {
        lock.unlock();
      }
      try {
        deliver(entry, member, handlers.inside.get());
      } finally {
        lock.lock();
        try {
          delivering = false;
        } finally {
          lock.unlock();
        }
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
