package io.angora.engine;

import io.angora.amqp.AmqpTestBroker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in its own JVM, started by {@link AmqpClusterIT} with the test class path so that a
 * test can kill it with SIGKILL. Arguments: queue prefix, worker name, concurrency.
 */
public final class ChildWorker {
  private ChildWorker() {}

  /**
   * Runs a worker until killed.
   *
   * @param args prefix, name, concurrency
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    Angora worker = Angora.builder().role(Role.WORKER).workerName(args[1])
        .concurrency(Integer.parseInt(args[2])).heartbeat(Duration.ofMillis(500))
        .transport(AmqpTestBroker.transport(args[0], args[1])).build();
    worker.start();
    System.out.println("child worker " + args[1] + " started");
    new CountDownLatch(1).await();
  }
}
