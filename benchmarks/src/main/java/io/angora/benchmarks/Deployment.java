package io.angora.benchmarks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.angora.amqp.internal.Topology;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.engine.AngoraBuilder;
import io.angora.engine.ProcessExecutor;
import io.angora.engine.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Angora started in one {@link DeploymentMode}, with the benchmark task and a
 * {@link RunRecorder}; closing stops everything it started and deletes its files. Used by one
 * harness thread.
 */
final class Deployment implements AutoCloseable {
  /** The message every benchmark job is triggered by. */
  static final String TRIGGER = "bench.job";

  /** The prefix of the benchmark's queues on the broker. */
  static final String QUEUE_PREFIX = "angora-bench";

  private final Angora coordinator;
  private final @Nullable WorkerProcess worker;
  private final @Nullable Path scratch;

  private Deployment(Angora coordinator, @Nullable WorkerProcess worker, @Nullable Path scratch) {
    this.coordinator = coordinator;
    this.worker = worker;
    this.scratch = scratch;
  }

  /** The task run by every benchmark job: {@code true}, never replayed. */
  static TaskDefinition task() {
    return TaskDefinition.builder("bench-true").triggers(TRIGGER).command("true").replay(0)
        .build();
  }

  /**
   * Starts Angora in a mode.
   *
   * @param mode the mode
   * @param options concurrency and broker
   * @param recorder listens to the coordinator
   * @return the started deployment
   * @throws Adapters.Unavailable when the mode's adapter is missing
   */
  static Deployment start(DeploymentMode mode, ThroughputOptions options, RunRecorder recorder) {
    AngoraBuilder builder = Angora.builder().task(task()).listener(recorder)
        .shutdownGrace(Duration.ofSeconds(5));
    if (options.spawnExecutor() && mode != DeploymentMode.AMQP) {
      builder.executor(new SpawnExecutor(Clock.systemUTC()));
    } else if (mode != DeploymentMode.AMQP) {
      builder.executor(ProcessExecutor.builder().launcher(options.launcher()).build());
    }
    return switch (mode) {
      case EMBEDDED -> started(builder.concurrency(options.concurrency()).build(), null, null);
      case SQLITE -> {
        Path dir = tempDir();
        builder.runStore(Adapters.sqliteStore(dir.resolve("angora.db")));
        yield started(builder.concurrency(options.concurrency()).build(), null, dir);
      }
      case AMQP -> {
        // The comparison: coordinator with the SQLite store, one worker JVM.
        Path dir = tempDir();
        deleteQueues(options.amqpUri());
        Angora angora = builder.role(Role.COORDINATOR)
            .runStore(Adapters.sqliteStore(dir.resolve("angora.db")))
            .transport(Adapters.amqpTransport(options.amqpUri(), QUEUE_PREFIX)).build();
        Deployment d = started(angora, null, dir);
        try {
          WorkerProcess w = WorkerProcess.start(options.amqpUri(), options.concurrency(),
              options.launcher());
          yield new Deployment(angora, w, dir);
        } catch (RuntimeException e) {
          d.close();
          throw e;
        }
      }
      case CELERY -> throw new IllegalArgumentException("celery is not an Angora deployment");
    };
  }

  /**
   * Deletes the benchmark's queues, so that each run declares them as this Angora does (a
   * queue kept from a run of an older Angora keeps its old arguments, e.g. classic queue
   * version 1) and starts with nothing left over from an interrupted run.
   */
  private static void deleteQueues(String amqpUri) {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(amqpUri);
      try (Connection connection = factory.newConnection("angora-bench-cleanup")) {
        for (String queue : Topology.named(QUEUE_PREFIX).queues()) {
          Channel channel = connection.createChannel();
          channel.queueDelete(queue);
          channel.close();
        }
      }
    } catch (IOException | TimeoutException | GeneralSecurityException | URISyntaxException e) {
      throw new IllegalStateException("cannot delete the benchmark's queues on " + amqpUri
          + ": " + e, e);
    }
  }

  private static Deployment started(Angora angora, @Nullable WorkerProcess worker,
      @Nullable Path scratch) {
    angora.start();
    return new Deployment(angora, worker, scratch);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("angora-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  /** The instance that coordinates (and, embedded, also works). */
  Angora coordinator() {
    return coordinator;
  }

  /** The resident memory of the separate worker JVM, if there is one. */
  OptionalLong workerRss() {
    return worker == null ? OptionalLong.empty() : worker.rss();
  }

  /** CPU time used so far by the separate worker JVM, in nanoseconds; 0 without one. */
  long workerCpuNanos() {
    return worker == null ? 0 : worker.cpuNanos();
  }

  @Override
  public void close() {
    try {
      coordinator.close();
    } finally {
      if (worker != null) {
        worker.close();
      }
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
