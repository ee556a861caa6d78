package io.angora.amqp.internal;

import io.angora.api.Delivery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the items of one delivery (the outcomes of a batch) to a handler as deliveries of their
 * own, and settles the carrying delivery once every part is settled: acknowledged when all
 * parts are acknowledged or dead-lettered, requeued when any part was given back (the parts
 * already handled come again; their handler is idempotent, as it is after a crash). So the
 * batch is acknowledged only once what every part caused is durable. A part refused by the
 * handler is dead-lettered alone, as a copy with the reason; if that copy fails the batch is
 * requeued. A part whose handler throws is requeued, or dead-lettered when the batch was
 * delivered before. Thread-safe.
 *
 * @param <T> a part
 */
public final class BatchDeliveries<T> implements Consumer<Delivery<List<T>>> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchDeliveries.class);

  private final String source;
  private final Consumer<Delivery<T>> handler;
  private final BiFunction<T, String, CompletableFuture<Void>> deadLetter;

  /**
   * Creates the splitter.
   *
   * @param source what is consumed, for log lines
   * @param handler receives each part
   * @param deadLetter publishes a refused part alone with its reason; completes when confirmed
   */
  public BatchDeliveries(String source, Consumer<Delivery<T>> handler,
      BiFunction<T, String, CompletableFuture<Void>> deadLetter) {
    this.source = source;
    this.handler = handler;
    this.deadLetter = deadLetter;
  }

  @Override
  public void accept(Delivery<List<T>> carrier) {
    List<T> items = carrier.body();
    if (items.size() == 1) {
      handler.accept(new Single<>(carrier, items.get(0)));
      return;
    }
    Batch batch = new Batch(carrier, items.size());
    for (T item : items) {
      Part part = new Part(batch, item);
      try {
        handler.accept(part);
      } catch (RuntimeException e) {
        if (part.settled.get()) {
          LOG.error("the handler of {} failed", source, e);
        } else if (carrier.redelivered()) {
          LOG.error("the handler of {} failed again on a redelivered batch item; "
              + "dead-lettering it", source, e);
          part.reject("handler failed twice: " + e);
        } else {
          LOG.error("the handler of {} failed on a batch item; requeueing the batch for one "
              + "more try", source, e);
          part.requeue();
        }
      }
    }
  }

  /** The only item of a delivery: settled as the delivery itself. */
  private record Single<T>(Delivery<List<T>> carrier, T body) implements Delivery<T> {
    @Override
    public boolean redelivered() {
      return carrier.redelivered();
    }

    @Override
    public void ack() {
      carrier.ack();
    }

    @Override
    public void reject(String reason) {
      carrier.reject(reason);
    }

    @Override
    public void requeue() {
      carrier.requeue();
    }
  }

  /** The parts of one delivery still unsettled, and whether any asks for it again. */
  private final class Batch {
    final Delivery<List<T>> carrier;
    final AtomicInteger unsettled;
    volatile boolean again;

    Batch(Delivery<List<T>> carrier, int parts) {
      this.carrier = carrier;
      this.unsettled = new AtomicInteger(parts);
    }

    void settled(boolean requeue) {
      if (requeue) {
        again = true;
      }
      if (unsettled.decrementAndGet() == 0) {
        if (again) {
          carrier.requeue();
        } else {
          carrier.ack();
        }
      }
    }
  }

  private final class Part implements Delivery<T> {
    final Batch batch;
    final T body;
    final AtomicBoolean settled = new AtomicBoolean();

    Part(Batch batch, T body) {
      this.batch = batch;
      this.body = body;
    }

    @Override
    public T body() {
      return body;
    }

    @Override
    public boolean redelivered() {
      return batch.carrier.redelivered();
    }

    @Override
    public void ack() {
      if (first("ack")) {
        batch.settled(false);
      }
    }

    @Override
    public void requeue() {
      if (first("requeue")) {
        batch.settled(true);
      }
    }

    @Override
    public void reject(String reason) {
      if (!first("reject")) {
        return;
      }
      LOG.warn("rejecting an item of a batch from {} to the dead-letter queue: {}", source,
          reason);
      CompletableFuture<Void> copied;
      try {
        copied = deadLetter.apply(body, reason);
      } catch (RuntimeException e) {
        copied = CompletableFuture.failedFuture(e);
      }
      copied.whenComplete((ok, error) -> {
        if (error != null) {
          LOG.warn("dead-letter copy of a batch item from {} failed ({}); the batch goes back "
              + "to the queue", source, error.toString());
        }
        batch.settled(error != null);
      });
    }

    private boolean first(String how) {
      if (settled.compareAndSet(false, true)) {
        return true;
      }
      LOG.warn("ignoring {} of a batch item from {}: it was already settled", how, source);
      return false;
    }
  }
}
