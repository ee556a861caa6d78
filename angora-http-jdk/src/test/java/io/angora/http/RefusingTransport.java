package io.angora.http;

import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.Subscription;
import io.angora.api.Transport;
import io.angora.api.TransportException;
import io.angora.engine.InMemoryTransport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** An in-memory transport that can be told to refuse messages, as a broker that is down. */
final class RefusingTransport implements Transport {
  private final InMemoryTransport delegate = new InMemoryTransport();
  final AtomicBoolean refuse = new AtomicBoolean();

  @Override
  public CompletableFuture<Void> send(Message message) {
    if (refuse.get()) {
      return CompletableFuture.failedFuture(
          new TransportException("broker unreachable: queue 'initialize' refused the message"));
    }
    return delegate.send(message);
  }

  @Override
  public CompletableFuture<Void> dispatch(Job job) {
    return delegate.dispatch(job);
  }

  @Override
  public CompletableFuture<Void> report(JobEvent event) {
    return delegate.report(event);
  }

  @Override
  public Subscription consumeMessages(Consumer<Delivery<Message>> handler) {
    return delegate.consumeMessages(handler);
  }

  @Override
  public Subscription consumeJobs(int concurrency, Consumer<Delivery<Job>> handler) {
    return delegate.consumeJobs(concurrency, handler);
  }

  @Override
  public Subscription consumeEvents(Consumer<Delivery<JobEvent>> handler) {
    return delegate.consumeEvents(handler);
  }

  @Override
  public CompletableFuture<Void> cancel(String runId) {
    return delegate.cancel(runId);
  }

  @Override
  public Subscription consumeCancellations(Consumer<String> handler) {
    return delegate.consumeCancellations(handler);
  }

  @Override
  public Map<String, Long> queueDepths() {
    return delegate.queueDepths();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
