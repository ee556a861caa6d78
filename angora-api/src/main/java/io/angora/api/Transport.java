package io.angora.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * How messages, jobs and job events travel between senders, the coordinator and workers.
 *
 * <p>Three channels, named after the original's queues: messages go to {@code initialize} and
 * are consumed by the one coordinator; jobs go to {@code start} and are shared among workers;
 * job events go to {@code results} and are consumed by the coordinator. Cancellations are
 * broadcast to every worker.
 *
 * <p>Implementations are thread-safe. A future returned by a publishing method completes once
 * the transport has taken responsibility for the item (for a broker: confirmed), and completes
 * exceptionally with a {@link TransportException} when it cannot.
 */
public interface Transport extends AutoCloseable {

  /**
   * Publishes a message to the coordinator.
   *
   * @param message the message
   * @return completes when the message is accepted
   */
  CompletableFuture<Void> send(Message message);

  /**
   * Publishes a job to the workers.
   *
   * @param job the job
   * @return completes when the job is accepted
   */
  CompletableFuture<Void> dispatch(Job job);

  /**
   * Publishes a worker's event to the coordinator.
   *
   * @param event the event
   * @return completes when the event is accepted
   */
  CompletableFuture<Void> report(JobEvent event);

  /**
   * Consumes messages (the coordinator's role). Only one message consumer per installation.
   *
   * @param handler called for each message; it settles the delivery once the message's runs
   *     are recorded and their jobs dispatched
   * @return the subscription
   */
  Subscription consumeMessages(Consumer<Delivery<Message>> handler);

  /**
   * Consumes jobs (a worker's role), at most {@code concurrency} unsettled at a time.
   *
   * @param concurrency how many jobs may be delivered and unsettled at once
   * @param handler called for each job; it settles the delivery after the job's outcome has
   *     been reported
   * @return the subscription
   */
  Subscription consumeJobs(int concurrency, Consumer<Delivery<Job>> handler);

  /**
   * Consumes job events (the coordinator's role).
   *
   * @param handler called for each event; it settles the delivery once the event is recorded
   * @return the subscription
   */
  Subscription consumeEvents(Consumer<Delivery<JobEvent>> handler);

  /**
   * Asks every worker to cancel a run, if one of them is running it.
   *
   * @param runId the run
   * @return completes when the request is published
   */
  CompletableFuture<Void> cancel(String runId);

  /**
   * Receives cancellation requests (a worker's role).
   *
   * @param handler called with the run id of each request
   * @return the subscription
   */
  Subscription consumeCancellations(Consumer<String> handler);

  /**
   * Whether items survive a restart of this process (a broker's queues do; memory does not).
   * The coordinator uses it to decide whether unfinished runs found at start are still in
   * flight.
   *
   * @return true when published items outlive the process
   */
  default boolean durable() {
    return false;
  }

  /**
   * Whether the transport can carry items now. The coordinator does not count time spent
   * disconnected against the leases of running jobs: the silence was its own.
   *
   * @return false while a broker connection is down and recovering
   */
  default boolean connected() {
    return true;
  }

  /**
   * How many times the transport lost its connection since it was created. Jobs travel as
   * transient items where the transport allows (the run store's QUEUED row is their durable
   * copy), so a broker restarted during a loss may have dropped some: after a loss the
   * coordinator treats every queued run as possibly not in flight, and dispatches again those no
   * worker turns out to hold.
   *
   * @return the number of connection losses, 0 for a transport that cannot lose one
   */
  default long connectionLosses() {
    return 0;
  }

  /**
   * Items waiting in each channel, where known.
   *
   * @return queue name to depth; empty when unknown
   */
  default Map<String, Long> queueDepths() {
    return Map.of();
  }

  /** Stops consuming and releases connections. Idempotent. */
  @Override
  void close();
}
