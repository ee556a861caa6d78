package io.angora.engine;

import io.angora.amqp.AmqpTestBroker;
import io.angora.api.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The embedded engine's workflow cases over RabbitMQ, distributed: each test gets fresh queues,
 * a coordinator (the engine under test) and two separate worker instances, each with its own
 * connection, so every job crosses the broker to another {@link Angora}.
 */
class AmqpWorkflowIT extends WorkflowContract {
  private final List<Angora> workers = new ArrayList<>();
  private static final List<String> PREFIXES = new ArrayList<>();

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @Override
  protected Transport newTransport() {
    String prefix = AmqpTestBroker.uniquePrefix("workflow");
    PREFIXES.add(prefix);
    for (int i = 1; i <= 2; i++) {
      Angora worker = Angora.builder().role(Role.WORKER).concurrency(2)
          .workerName("worker-" + i).heartbeat(Duration.ofSeconds(1))
          .shutdownGrace(Duration.ofSeconds(2))
          .transport(AmqpTestBroker.transport(prefix, "worker-" + i)).build();
      worker.start();
      workers.add(worker);
    }
    return AmqpTestBroker.transport(prefix, "coordinator");
  }

  /** A coordinator started again on the last test's queues; its workers are still there. */
  @Override
  protected Transport reopenTransport() {
    return AmqpTestBroker.transport(PREFIXES.get(PREFIXES.size() - 1), "coordinator-again");
  }

  @Override
  protected AngoraBuilder configure(AngoraBuilder builder) {
    return builder.role(Role.COORDINATOR);
  }

  @AfterEach
  void stopWorkers() {
    workers.forEach(Angora::close);
    workers.clear();
  }

  @AfterAll
  static void deleteQueues() {
    PREFIXES.forEach(AmqpTestBroker::deleteQueues);
    PREFIXES.clear();
  }
}
