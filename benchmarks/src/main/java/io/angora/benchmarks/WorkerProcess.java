package io.angora.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker JVM started by the harness for the AMQP mode: {@link ThroughputWorker} on the
 * harness's own classpath, with the harness's heap and process-launch settings. It runs until its
 * standard input closes. Used by one harness thread.
 */
final class WorkerProcess implements AutoCloseable {
  private final Process process;

  private WorkerProcess(Process process) {
    this.process = process;
  }

  /**
   * Starts the worker JVM and waits until it consumes jobs.
   *
   * @param amqpUri the broker
   * @param concurrency the worker's concurrency
   * @param launcher how the worker's executor starts jobs
   * @return the running worker
   */
  static WorkerProcess start(String amqpUri, int concurrency,
      io.angora.engine.ProcessExecutor.Launcher launcher) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Same heap, GC and launch mechanism as this JVM; not agents or debug ports.
      if (arg.startsWith("-Xm") || arg.startsWith("-XX:+Use") || arg.startsWith("-Xss")
          || arg.startsWith("-Djdk.lang.Process.")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ThroughputWorker.class.getName(), "--amqp", amqpUri,
        "--concurrency", Integer.toString(concurrency), "--launcher", launcher.name()));
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the worker JVM: " + command.get(0), e);
    }
    WorkerProcess worker = new WorkerProcess(process);
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      // Keeps reading after the ready line, so that the worker's output never blocks it.
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith(ThroughputWorker.READY)) {
            ready.complete(true);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.complete(false);
    }, "angora-bench-worker-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.get(60, TimeUnit.SECONDS)) {
        worker.close();
        throw new IllegalStateException("worker JVM ended before it was ready, exit code "
            + process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.close();
      throw new IllegalStateException("interrupted while starting the worker JVM", e);
    } catch (ExecutionException | TimeoutException e) {
      worker.close();
      throw new IllegalStateException("worker JVM not ready within 60 s", e);
    }
    return worker;
  }

  /** The worker JVM's resident memory. */
  OptionalLong rss() {
    return MemoryUse.rss(process.pid());
  }

  /** The worker JVM's CPU time so far, in nanoseconds (10 ms resolution). */
  long cpuNanos() {
    return MemoryUse.cpuNanos(process.pid()).orElse(0);
  }

  /** Closes the worker's standard input, which stops it; kills it if it does not end. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
