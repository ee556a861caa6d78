package io.angora.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The physical limit: {@code true} launched back to back on {@code threads} threads with
 * {@link ProcessBuilder}, nothing else. Two variants: with pipes read (as below), or with the
 * output discarded ({@link ProcessBuilder.Redirect#DISCARD}): the JDK's launch alone.
 *
 * <p>With pipes: Launched as Angora's process executor launches a job:
 * same JVM, so the same {@code jdk.lang.Process.launchMechanism}; standard output and error
 * piped (the executor keeps the output's tail) and read to their end; then
 * {@link Process#waitFor()}. It does less than the executor (no job environment, reads on the
 * launching thread rather than two pump threads), so it is never slower: a ratio to it cannot
 * be won by launching differently. Not thread-safe; one loop at a time.
 */
final class SpawnLoop {
  private final int threads;
  private final boolean discard;

  /**
   * Creates a loop.
   *
   * @param threads how many processes are running at once, like the worker's concurrency
   * @param discard true to discard the output instead of reading it through pipes
   */
  SpawnLoop(int threads, boolean discard) {
    this.threads = threads;
    this.discard = discard;
  }

  /**
   * Launches {@code count} processes in all.
   *
   * @param count processes to launch
   * @return elapsed nanoseconds from the first launch to the last exit
   * @throws InterruptedException when interrupted
   */
  long run(int count) throws InterruptedException {
    AtomicInteger left = new AtomicInteger(count);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          while (left.getAndDecrement() > 0) {
            spawnOnce();
          }
        } catch (IOException e) {
          failure.compareAndSet(null, new UncheckedIOException("cannot launch 'true'", e));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }, "angora-bench-spawn-" + t);
      workers.add(thread);
      thread.start();
    }
    for (Thread thread : workers) {
      thread.join();
    }
    long elapsed = System.nanoTime() - start;
    Throwable failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("bare spawn loop failed: " + failed, failed);
    }
    return elapsed;
  }

  private void spawnOnce() throws IOException, InterruptedException {
    if (discard) {
      int code = new ProcessBuilder("true").redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      if (code != 0) {
        throw new IllegalStateException("'true' exited with " + code);
      }
      return;
    }
    Process process = new ProcessBuilder("true").start();
    process.getOutputStream().close();
    drain(process.getInputStream());
    drain(process.getErrorStream());
    int code = process.waitFor();
    if (code != 0) {
      throw new IllegalStateException("'true' exited with " + code);
    }
  }

  private static void drain(InputStream in) throws IOException {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
