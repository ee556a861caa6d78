package io.angora.engine.internal.worker;

import io.angora.api.JobEvent;
import io.angora.api.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports outcomes without holding a job slot: the outcome is published, and its delivery is
 * settled when the transport accepts it (retried with a growing delay while the transport
 * refuses, e.g. the broker is away). The slot takes the next job meanwhile; the unsettled
 * delivery is the job's lease until then. Thread-safe.
 */
final class OutcomeReporter {
  private static final Logger log = LoggerFactory.getLogger(OutcomeReporter.class);
  private static final Duration ACCEPT_WAIT = Duration.ofSeconds(30);
  private static final long FIRST_RETRY_MILLIS = 200;
  private static final long MAX_RETRY_MILLIS = 5_000;

  private final Transport transport;
  private final ScheduledExecutorService retries;
  private final Object lock = new Object();
  private int pending; // guarded by lock

  OutcomeReporter(Transport transport, ScheduledExecutorService retries) {
    this.transport = transport;
    this.retries = retries;
  }

  /**
   * Reports an outcome until the transport accepts it.
   *
   * @param outcome the outcome
   * @param accepted runs once the transport accepted it
   * @param givenUp runs when the worker stops before it was accepted
   */
  void report(JobEvent.JobFinished outcome, Runnable accepted, Runnable givenUp) {
    synchronized (lock) {
      pending++;
    }
    attempt(outcome, accepted, givenUp, FIRST_RETRY_MILLIS, false);
  }

  private void attempt(JobEvent.JobFinished outcome, Runnable accepted, Runnable givenUp,
      long retryMillis, boolean retried) {
    CompletableFuture<Void> sent;
    try {
      sent = transport.report(outcome);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.orTimeout(ACCEPT_WAIT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, error) -> {
      if (error == null) {
        if (retried) {
          log.info("Outcome of run {} reported after retries", outcome.runId());
        }
        done(accepted);
        return;
      }
      if (!retried) {
        log.warn("Outcome of run {} not accepted ({}); retrying", outcome.runId(),
            error.getMessage());
      }
      try {
        retries.schedule(() -> attempt(outcome, accepted, givenUp,
            Math.min(retryMillis * 2, MAX_RETRY_MILLIS), true), retryMillis,
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        log.error("Outcome {} of run {} not reported: the worker stopped; the job goes back to "
            + "the queue unless its start was reported", outcome.status(), outcome.runId());
        done(givenUp);
      }
    });
  }

  private void done(Runnable settle) {
    try {
      settle.run();
    } finally {
      synchronized (lock) {
        pending--;
        lock.notifyAll();
      }
    }
  }

  /**
   * Waits until every outcome reported so far is accepted or given up.
   *
   * @param timeout how long at most
   * @return true when none is pending
   * @throws InterruptedException when interrupted
   */
  boolean awaitNonePending(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (pending > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }
}
