package io.angora.benchmarks;

import io.angora.engine.Angora;
import io.angora.engine.ProcessExecutor;
import io.angora.engine.Role;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The worker JVM of the AMQP mode: an Angora worker on the broker, stopped when its standard
 * input closes (so it never outlives the harness). Prints {@value #READY} once it consumes.
 */
public final class ThroughputWorker {
  /** The line printed once the worker takes jobs. */
  static final String READY = "ANGORA-WORKER-READY";

  private ThroughputWorker() {}

  /**
   * Runs the worker.
   *
   * @param args {@code --amqp URI --concurrency C --launcher L}
   * @throws IOException when standard input fails
   */
  public static void main(String[] args) throws IOException {
    ThroughputOptions options = ThroughputOptions.parse(args);
    try (Angora angora = Angora.builder().role(Role.WORKER)
        .transport(Adapters.amqpTransport(options.amqpUri(), Deployment.QUEUE_PREFIX))
        .executor(ProcessExecutor.builder().launcher(options.launcher()).build())
        .concurrency(options.concurrency()).shutdownGrace(Duration.ofSeconds(5)).build()) {
      angora.start();
      System.out.println(READY + " " + ProcessHandle.current().pid());
      System.out.flush();
      InputStream in = System.in;
      while (in.read() >= 0) {
        // runs until the harness closes our standard input
      }
    }
  }
}
