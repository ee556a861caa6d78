package io.angora.amqp.internal;

import io.angora.api.JobEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Coalesces the outcomes a worker reports within a short window into one publication (a
 * {@code batch} event, see {@link EventCodec#batch}), so that the broker carries, confirms and
 * delivers one message for several jobs. Each outcome's future completes when the broker
 * confirmed the publication carrying it, so a worker still acknowledges a job only once its
 * outcome is durable in the broker; a failed publication fails every future in it (the worker
 * retries each). A batch is published when the window after its first outcome ends, when it
 * holds {@link #flushAt(int) enough outcomes} that waiting longer could leave job slots without
 * deliveries (the broker's prefetch counts every unacknowledged job), or when the next outcome
 * would take it past {@value #MAX_BATCH_BYTES} bytes (so a batch stays far below the readers'
 * document limit); a batch of one is published as a plain {@code finished} event, as a lone
 * outcome was before batching. Thread-safe.
 */
public final class OutcomeBatcher {
  /** Bytes of encoded outcomes after which a batch is published at once. */
  static final int MAX_BATCH_BYTES = 512 * 1024;

  private final Duration window;
  private final ScheduledExecutorService timer;
  private final Function<byte[], CompletableFuture<Void>> publishSingle;
  private final Function<byte[], CompletableFuture<Void>> publishBatch;
  private final Object lock = new Object();
  private List<byte[]> bodies = new ArrayList<>(); // guarded by lock
  private List<CompletableFuture<Void>> futures = new ArrayList<>(); // guarded by lock
  private int bytes; // guarded by lock
  private long generation; // guarded by lock; advances whenever a batch is taken
  private volatile int flushAt = EventCodec.MAX_BATCH_EVENTS;
  private volatile boolean closed;

  /**
   * Creates the batcher.
   *
   * @param window how long the first outcome of a batch waits for others; zero publishes each
   *     outcome alone at once
   * @param timer ends windows
   * @param publishSingle publishes the body of one plain event
   * @param publishBatch publishes the body of a batch
   */
  public OutcomeBatcher(Duration window, ScheduledExecutorService timer,
      Function<byte[], CompletableFuture<Void>> publishSingle,
      Function<byte[], CompletableFuture<Void>> publishBatch) {
    this.window = window;
    this.timer = timer;
    this.publishSingle = publishSingle;
    this.publishBatch = publishBatch;
  }

  /**
   * Sets how many outcomes make a batch publish before its window ends: half the jobs a worker
   * may hold unacknowledged, so that the outcomes waiting here never use up its prefetch.
   *
   * @param outcomes 1 or more
   */
  public void flushAt(int outcomes) {
    flushAt = Math.max(1, Math.min(outcomes, EventCodec.MAX_BATCH_EVENTS));
  }

  /**
   * Reports an outcome in the next batch.
   *
   * @param outcome the outcome
   * @return completes when the broker confirmed the publication carrying it
   */
  public CompletableFuture<Void> report(JobEvent.JobFinished outcome) {
    byte[] body = EventCodec.encode(outcome);
    if (window.isZero() || closed) {
      return publishSingle.apply(body);
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    Batch before = null;
    Batch full = null;
    boolean first;
    long number;
    synchronized (lock) {
      if (!bodies.isEmpty() && bytes + body.length > MAX_BATCH_BYTES) {
        // Never past the size limit with two or more: the waiting ones leave first.
        before = take();
      }
      first = bodies.isEmpty();
      bodies.add(body);
      futures.add(future);
      bytes += body.length;
      number = generation;
      if (bodies.size() >= flushAt || bytes >= MAX_BATCH_BYTES) {
        full = take();
      }
    }
    if (before != null) {
      send(before);
    }
    if (full != null) {
      send(full);
    } else if (first) {
      try {
        timer.schedule(() -> flush(number), window.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopping) {
        flush(number);
      }
    }
    return future;
  }

  /** Outcomes taken for one publication, and their futures. */
  private record Batch(List<byte[]> bodies, List<CompletableFuture<Void>> futures) {}

  /** Takes what waits, and starts the next batch; call with the lock held. */
  private Batch take() {
    Batch b = new Batch(bodies, futures);
    bodies = new ArrayList<>();
    futures = new ArrayList<>();
    bytes = 0;
    generation++;
    return b;
  }

  /** Publishes the batch numbered {@code number} now, unless it left already. */
  private void flush(long number) {
    Batch b;
    synchronized (lock) {
      if (generation != number || bodies.isEmpty()) {
        return;
      }
      b = take();
    }
    send(b);
  }

  private void send(Batch b) {
    CompletableFuture<Void> sent;
    try {
      sent = b.bodies().size() == 1 ? publishSingle.apply(b.bodies().get(0))
          : publishBatch.apply(EventCodec.batch(b.bodies()));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, error) -> {
      for (CompletableFuture<Void> f : b.futures()) {
        if (error == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(error);
        }
      }
    });
  }

  /** Publishes what is waiting now; later outcomes are published alone. */
  public void close() {
    closed = true;
    long batch;
    synchronized (lock) {
      batch = generation;
    }
    flush(batch);
  }
}
