package io.angora.engine;

import io.angora.amqp.AmqpTestBroker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in its own JVM, started by {@link AmqpClusterIT} and {@link OutcomeBatchIT} with the
 * test class path so that a test can kill it with SIGKILL. Arguments: queue prefix, worker
 * name, concurrency, and optionally the outcome batch window and the start-report delay in
 * milliseconds.
 */
public final class ChildWorker {
  private ChildWorker() {}

  /**
   * Runs a worker until killed.
   *
   * @param args prefix, name, concurrency [, batch window ms, start-report delay ms]
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    AngoraBuilder builder = Angora.builder().role(Role.WORKER).workerName(args[1])
        .concurrency(Integer.parseInt(args[2])).heartbeat(Duration.ofMillis(500));
    if (args.length > 3) {
      builder.startReportDelay(Duration.ofMillis(Long.parseLong(args[4])))
          .transport(AmqpTestBroker.builder().queuePrefix(args[0])
              .connectionName(args[0] + "-" + args[1])
              .outcomeBatchWindow(Duration.ofMillis(Long.parseLong(args[3]))).build());
    } else {
      builder.transport(AmqpTestBroker.transport(args[0], args[1]));
    }
    Angora worker = builder.build();
    worker.start();
    System.out.println("child worker " + args[1] + " started");
    new CountDownLatch(1).await();
  }
}
