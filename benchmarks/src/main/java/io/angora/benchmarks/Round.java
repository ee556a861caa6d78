package io.angora.benchmarks;

import io.angora.api.Run;
import io.angora.api.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One round of jobs, told apart from other rounds by the payload of its messages: counts the
 * runs recorded as finished, and keeps per run the time from send to start and from send to
 * recorded result. Thread-safe: filled by the coordinator's threads, read by the harness.
 */
final class Round {
  private final String tag;
  private final int expected;
  private final CountDownLatch finished;
  private final @Nullable Semaphore slots;
  private final long[] startMicros;
  private final long[] resultMicros;
  private final AtomicInteger succeeded = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<@Nullable String> firstFailure = new AtomicReference<>();
  private volatile long lastFinishedNanos;

  /**
   * Creates a round.
   *
   * @param tag the payload of this round's messages
   * @param expected how many runs it has
   * @param slots released once per finished run (closed loop), or null
   */
  Round(String tag, int expected, @Nullable Semaphore slots) {
    this.tag = tag;
    this.expected = expected;
    this.finished = new CountDownLatch(expected);
    this.slots = slots;
    this.startMicros = new long[expected];
    this.resultMicros = new long[expected];
  }

  /** How many runs the round has. */
  int expected() {
    return expected;
  }

  /** The payload that marks this round's messages. */
  String tag() {
    return tag;
  }

  /**
   * Takes a finished run of this round.
   *
   * @param run the run as recorded
   * @param sentAt when its message was sent
   * @param recordedAt when the listener saw the outcome
   */
  void finished(Run run, Instant sentAt, Instant recordedAt) {
    if (run.status() == RunStatus.SUCCEEDED) {
      int i = succeeded.getAndIncrement();
      if (i < expected) {
        Instant started = run.startedAt() != null ? run.startedAt() : recordedAt;
        startMicros[i] = micros(sentAt, started);
        resultMicros[i] = micros(sentAt, recordedAt);
      }
    } else {
      failed.incrementAndGet();
      firstFailure.compareAndSet(null, "run " + run.id() + " is " + run.status() + ": "
          + run.reason());
    }
    lastFinishedNanos = System.nanoTime();
    if (slots != null) {
      slots.release();
    }
    finished.countDown();
  }

  /**
   * Waits for every run of the round.
   *
   * @param timeout how long at most
   * @return the time the last run was seen finished, in {@link System#nanoTime()}
   * @throws IllegalStateException on timeout or when a run did not succeed
   * @throws InterruptedException when interrupted
   */
  long await(Duration timeout) throws InterruptedException {
    if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("round " + tag + ": only " + (expected - finished.getCount())
          + " of " + expected + " runs finished within " + timeout);
    }
    if (failed.get() > 0) {
      throw new IllegalStateException("round " + tag + ": " + failed.get() + " runs did not "
          + "succeed, first: " + firstFailure.get());
    }
    return lastFinishedNanos;
  }

  /** Runs recorded as succeeded so far. */
  int succeeded() {
    return succeeded.get();
  }

  /** Send-to-start times of the succeeded runs. */
  Latencies startLatencies() {
    return new Latencies(java.util.Arrays.copyOf(startMicros, Math.min(expected, succeeded())));
  }

  /** Send-to-recorded-result times of the succeeded runs. */
  Latencies resultLatencies() {
    return new Latencies(java.util.Arrays.copyOf(resultMicros, Math.min(expected, succeeded())));
  }

  private static long micros(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1_000;
  }
}
