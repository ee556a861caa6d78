package io.angora.tck;

import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.Subscription;
import io.angora.api.Transport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A transport that hands every call to another one; tests extend it and override the calls
 * whose behaviour they change (a broker that refuses, deliveries marked redelivered, ...).
 * As thread-safe as the transport it wraps.
 */
public class ForwardingTransport implements Transport {
  private final Transport delegate;

  /**
   * Wraps a transport.
   *
   * @param delegate the transport every call goes to
   */
  public ForwardingTransport(Transport delegate) {
    this.delegate = delegate;
  }

  /** The wrapped transport. */
  protected Transport delegate() {
    return delegate;
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
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
  public boolean durable() {
    return delegate.durable();
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
