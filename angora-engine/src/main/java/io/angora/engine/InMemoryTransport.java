package io.angora.engine;

import io.angora.api.Delivery;
import io.angora.api.FlowControl;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.Subscription;
import io.angora.api.Transport;
import io.angora.api.TransportException;
import io.angora.engine.internal.memory.MemoryQueue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded transport: queues in this JVM's memory, named like the broker's
 * ({@code initialize}, {@code start}, {@code results}). Nothing survives the process, so
 * {@link #durable()} is false. Thread-safe.
 */
public final class InMemoryTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(InMemoryTransport.class);

  private final MemoryQueue.Handlers handlers = new MemoryQueue.Handlers();
  private final MemoryQueue<Message> messages = new MemoryQueue<>("initialize", handlers);
  /** Jobs go out higher priority first, like on RabbitMQ's priority queue. */
  private final MemoryQueue<Job> jobs = new MemoryQueue<>("start", handlers,
      FlowControl.MAX_PRIORITY, job -> job.task().flow().priority());
  private final MemoryQueue<JobEvent> events = new MemoryQueue<>("results", handlers);
  private final List<Consumer<String>> cancellations = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Creates the transport with empty queues. */
  public InMemoryTransport() {}

  @Override
  public CompletableFuture<Void> send(Message message) {
    return messages.publish(message);
  }

  @Override
  public CompletableFuture<Void> dispatch(Job job) {
    return jobs.publish(job);
  }

  @Override
  public CompletableFuture<Void> report(JobEvent event) {
    return events.publish(event);
  }

  @Override
  public Subscription consumeMessages(Consumer<Delivery<Message>> handler) {
    return messages.subscribe(Integer.MAX_VALUE, handler);
  }

  @Override
  public Subscription consumeJobs(int concurrency, Consumer<Delivery<Job>> handler) {
    return jobs.subscribe(concurrency, handler);
  }

  @Override
  public Subscription consumeEvents(Consumer<Delivery<JobEvent>> handler) {
    return events.subscribe(Integer.MAX_VALUE, handler);
  }

  @Override
  public CompletableFuture<Void> cancel(String runId) {
    if (closed) {
      return CompletableFuture.failedFuture(new TransportException("in-memory transport is closed"));
    }
    for (Consumer<String> handler : cancellations) {
      try {
        handler.accept(runId);
      } catch (RuntimeException e) {
        log.error("Cancellation handler failed for run {}", runId, e);
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Subscription consumeCancellations(Consumer<String> handler) {
    Consumer<String> wrapper = handler::accept;
    cancellations.add(wrapper);
    return () -> cancellations.remove(wrapper);
  }

  @Override
  public Map<String, Long> queueDepths() {
    Map<String, Long> depths = new LinkedHashMap<>();
    depths.put("initialize", messages.depth());
    depths.put("start", jobs.depth());
    depths.put("results", events.depth());
    return depths;
  }

  @Override
  public void close() {
    closed = true;
    messages.close();
    jobs.close();
    events.close();
    cancellations.clear();
  }
}
