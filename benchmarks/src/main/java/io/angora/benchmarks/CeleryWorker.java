package io.angora.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A Celery 5 worker started by the harness for the {@link DeploymentMode#CELERY} mode, as the
 * issue's comparison asks: {@code acks_late}, prefetch multiplier 1, the harness's concurrency
 * (prefork), no result backend, a task running {@code true} as a subprocess, on the same broker
 * as Angora's AMQP mode. The harness publishes Celery's own message format (protocol 2),
 * persistent with publisher confirms as Angora's sends are, and a job counts as done when the
 * task has written its line to a completion file: Celery's outcome, as an Angora job is done
 * when its outcome is recorded. Used by one harness thread.
 */
final class CeleryWorker implements AutoCloseable {
  private static final String TASK = "bench.true";
  private static final String QUEUE = Deployment.QUEUE_PREFIX + "-celery";

  private final Process process;
  private final Path dir;
  private final Connection connection;
  private final Channel channel;
  private final RandomAccessFile done;
  private long doneLines;

  private CeleryWorker(Process process, Path dir, Connection connection, Channel channel,
      RandomAccessFile done) {
    this.process = process;
    this.dir = dir;
    this.connection = connection;
    this.channel = channel;
    this.done = done;
  }

  /**
   * Starts a Celery worker and waits until it has run one job.
   *
   * @param amqpUri the broker
   * @param concurrency the worker's concurrency
   * @param timeout how long it may take to be ready
   * @return the running worker
   * @throws Adapters.Unavailable when no python3 on the PATH can import celery
   */
  static CeleryWorker start(String amqpUri, int concurrency, Duration timeout) {
    String python = findPython().orElseThrow(() -> new Adapters.Unavailable("no python3 on the "
        + "PATH can import celery (on Debian: apt-get install python3-celery)"));
    Path dir;
    Connection connection = null;
    try {
      dir = Files.createTempDirectory("angora-bench-celery-");
      try (InputStream app = CeleryWorker.class.getResourceAsStream("celery_bench.py")) {
        if (app == null) {
          throw new IllegalStateException("celery_bench.py missing from the benchmarks jar");
        }
        Files.write(dir.resolve("celery_bench.py"), app.readAllBytes());
      }
      Path doneFile = dir.resolve("done");
      Files.createFile(doneFile);
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(amqpUri);
      connection = factory.newConnection("angora-bench-celery");
      Channel channel = connection.createChannel();
      channel.queueDeclare(QUEUE, true, false, false, null); // as Celery declares it
      channel.queuePurge(QUEUE);
      channel.confirmSelect();
      ProcessBuilder pb = new ProcessBuilder(python, "-m", "celery", "-A", "celery_bench",
          "worker", "-Q", QUEUE, "-c", Integer.toString(concurrency), "-P", "prefork",
          "--prefetch-multiplier", "1", "--without-gossip", "--without-mingle",
          "--without-heartbeat", "-l", "WARNING")
          .directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("celery.log").toFile());
      pb.environment().put("CELERY_BENCH_BROKER", amqpUri);
      pb.environment().put("CELERY_BENCH_QUEUE", QUEUE);
      pb.environment().put("CELERY_BENCH_DONE", doneFile.toString());
      pb.environment().put("PYTHONPATH", dir.toString());
      Process process = pb.start();
      CeleryWorker worker = new CeleryWorker(process, dir, connection, channel,
          new RandomAccessFile(doneFile.toFile(), "r"));
      try {
        worker.burst(1, "ready", timeout);
      } catch (RuntimeException e) {
        String log = Files.readString(dir.resolve("celery.log"));
        worker.close();
        throw new IllegalStateException("the Celery worker did not run a job: " + log, e);
      }
      return worker;
    } catch (IOException e) {
      closeQuietly(connection);
      throw new UncheckedIOException("cannot start the Celery worker", e);
    } catch (java.net.URISyntaxException | java.security.GeneralSecurityException
        | java.util.concurrent.TimeoutException e) {
      closeQuietly(connection);
      throw new IllegalStateException("cannot connect to " + amqpUri + " for Celery", e);
    }
  }

  /** The first {@code python3} on the PATH that imports celery. */
  private static Optional<String> findPython() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, "python3");
      if (!Files.isExecutable(candidate)) {
        continue;
      }
      try {
        Process p = new ProcessBuilder(candidate.toString(), "-c", "import celery")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(candidate.toString());
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not runnable: try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Publishes {@code jobs} tasks (confirmed) and waits until all of them have completed.
   *
   * @param jobs how many
   * @param tag written back by each task
   * @param timeout how long the whole burst may take
   * @return nanoseconds from the first publication to the last completion seen
   */
  long burst(int jobs, String tag, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try {
      for (int i = 0; i < jobs; i++) {
        publish(tag);
      }
      channel.waitForConfirmsOrDie(timeout.toMillis());
      long target = doneLines + jobs;
      while (true) {
        doneLines += newLines();
        if (doneLines >= target) {
          return System.nanoTime() - start;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("Celery: only " + (jobs - (target - doneLines))
              + " of " + jobs + " jobs done within " + timeout);
        }
        if (!process.isAlive()) {
          throw new IllegalStateException("the Celery worker ended, exit " + process.exitValue());
        }
        LockSupport.parkNanos(100_000); // poll the completion file every 0.1 ms
      }
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Celery: tasks not confirmed by the broker", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a Celery burst", e);
    }
  }

  /** One task message in Celery's protocol 2, as {@code task.delay(tag)} sends it. */
  private void publish(String tag) throws IOException {
    String id = UUID.randomUUID().toString();
    Map<String, Object> headers = new HashMap<>();
    headers.put("lang", "py");
    headers.put("task", TASK);
    headers.put("id", id);
    headers.put("root_id", id);
    headers.put("parent_id", null);
    headers.put("group", null);
    headers.put("shadow", null);
    headers.put("eta", null);
    headers.put("expires", null);
    headers.put("retries", 0);
    headers.put("timelimit", Arrays.asList(null, null));
    headers.put("argsrepr", "('" + tag + "',)");
    headers.put("kwargsrepr", "{}");
    headers.put("origin", "angora-bench");
    headers.put("ignore_result", true);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType("application/json").contentEncoding("utf-8").deliveryMode(2).priority(0)
        .correlationId(id).headers(headers).build();
    String body = "[[\"" + tag + "\"], {}, {\"callbacks\": null, \"errbacks\": null, "
        + "\"chain\": null, \"chord\": null}]";
    channel.basicPublish("", QUEUE, props, body.getBytes(StandardCharsets.UTF_8));
  }

  private long newLines() throws IOException {
    long length = done.length();
    long position = done.getFilePointer();
    if (length <= position) {
      return 0;
    }
    byte[] bytes = new byte[(int) Math.min(length - position, 1 << 20)];
    done.readFully(bytes);
    long lines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /** Stops the worker (warm shutdown, then kill), deletes its queue and files. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    process.destroy(); // SIGTERM: Celery's warm shutdown stops its pool
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    tree.forEach(ProcessHandle::destroyForcibly);
    try {
      done.close();
      if (channel.isOpen()) {
        channel.queueDelete(QUEUE);
      }
    } catch (IOException e) {
      // the queue goes with the next run's purge
    }
    closeQuietly(connection);
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static void closeQuietly(@Nullable Connection connection) {
    if (connection != null && connection.isOpen()) {
      try {
        connection.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
