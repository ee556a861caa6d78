package io.angora.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.angora.amqp.AmqpTestBroker;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunListener;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.StoreHealth;
import io.angora.api.TaskDefinition;
import io.angora.tck.ForwardingRunStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message sent where the coordinator runs ({@code Angora.send}, and so the HTTP API) is taken
 * by the coordinator without the broker's round trip while its store keeps up: recorded with its
 * run by the time {@code send} returns, handled on the sender's thread. A message from any other
 * sender, or one sent while the store is failing, goes through the broker as before. Real
 * broker, coordinator and worker in separate engines with their own connections.
 */
class LocalSendIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private String prefix;
  private final List<Angora> engines = new ArrayList<>();
  /** The thread each message was handled on, by message text. */
  private final Map<String, String> handledOn = new ConcurrentHashMap<>();

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void prefix() {
    prefix = AmqpTestBroker.uniquePrefix("local");
  }

  @AfterEach
  void stop() {
    for (int i = engines.size() - 1; i >= 0; i--) {
      engines.get(i).close();
    }
    AmqpTestBroker.deleteQueues(prefix);
  }

  @Test
  void aMessageSentWhereTheCoordinatorRunsIsRecordedWithItsRunWhenSendReturns()
      throws Exception {
    Angora coordinator = coordinator(new InMemoryRunStore());
    worker();
    int messages = 20;
    List<Message> sent = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      Message m = coordinator.send("local." + i);
      sent.add(m);
      // Durable here before send returned: the message and its run are in the store.
      assertThat(coordinator.runs().findMessage(m.id())).contains(m);
      assertThat(coordinator.runs().workflow(m.workflowId())).singleElement()
          .satisfies(run -> assertThat(run.task()).isEqualTo("echo"));
    }
    // A plain AMQP client's message still comes through the broker.
    publishPlain("local.plain");

    await().atMost(WAIT).until(() -> succeeded(coordinator) == messages + 1);
    String here = Thread.currentThread().getName();
    for (Message m : sent) {
      assertThat(handledOn.get(m.text())).as("thread that handled %s", m.text()).isEqualTo(here);
    }
    assertThat(handledOn.get("local.plain")).isNotNull().isNotEqualTo(here);
    assertThat(coordinator.runs().query(RunQuery.newest(100)).runs()).hasSize(messages + 1)
        .allMatch(r -> r.status() == RunStatus.SUCCEEDED);
  }

  @Test
  void whileTheStoreIsFailingAMessageSentThereGoesThroughTheBroker() throws Exception {
    FailingStore store = new FailingStore();
    Angora coordinator = coordinator(store);
    worker();
    store.failing = true;
    Message m = coordinator.send("local.outage");
    // Accepted by the broker, not taken here: the coordinator's consumer handles it.
    await().atMost(WAIT).until(() -> handledOn.containsKey("local.outage"));
    assertThat(handledOn.get("local.outage")).isNotEqualTo(Thread.currentThread().getName());
    await().atMost(WAIT).until(() -> succeeded(coordinator) == 1);
    assertThat(coordinator.runs().workflow(m.workflowId())).singleElement()
        .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));

    store.failing = false;
    Message next = coordinator.send("local.after");
    assertThat(coordinator.runs().workflow(next.workflowId())).hasSize(1);
    await().atMost(WAIT).until(() -> succeeded(coordinator) == 2);
    assertThat(handledOn.get("local.after")).isEqualTo(Thread.currentThread().getName());
  }

  private Angora coordinator(io.angora.api.RunStore store) {
    TaskDefinition task = TaskDefinition.builder("echo").triggers("local.*")
        .command("true").replay(0).build();
    Angora coordinator = Angora.builder().role(Role.COORDINATOR).task(task).runStore(store)
        .heartbeat(Duration.ofMillis(500)).shutdownGrace(Duration.ofSeconds(2))
        .listener(new RunListener() {
          @Override
          public void onRun(Run run) {}

          @Override
          public void onMessage(Message message) {
            handledOn.putIfAbsent(message.text(), Thread.currentThread().getName());
          }
        })
        .transport(AmqpTestBroker.transport(prefix, "coordinator")).build();
    coordinator.start();
    engines.add(coordinator);
    return coordinator;
  }

  private void worker() {
    Angora worker = Angora.builder().role(Role.WORKER).workerName("w").concurrency(2)
        .heartbeat(Duration.ofMillis(500)).shutdownGrace(Duration.ofSeconds(2))
        .transport(AmqpTestBroker.transport(prefix, "worker")).build();
    worker.start();
    engines.add(worker);
  }

  private void publishPlain(String text) throws Exception {
    try (Connection c = AmqpTestBroker.rawFactory().newConnection(prefix + "-plain");
        Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("", prefix + ".initialize",
          new AMQP.BasicProperties.Builder().deliveryMode(2).build(), text.getBytes(UTF_8));
      ch.waitForConfirmsOrDie(10_000);
    }
  }

  private static long succeeded(Angora coordinator) {
    return coordinator.runs().query(RunQuery.newest(100)).runs().stream()
        .filter(r -> r.status() == RunStatus.SUCCEEDED).count();
  }

  /** An in-memory store that reports its writes failing while told to (they still succeed). */
  private static final class FailingStore extends ForwardingRunStore implements StoreHealth {
    volatile boolean failing;

    FailingStore() {
      super(new InMemoryRunStore());
    }

    @Override
    public int pendingWrites() {
      return 0;
    }

    @Override
    public int maxPendingWrites() {
      return 10_000;
    }

    @Override
    public long refusedWrites() {
      return 0;
    }

    @Override
    public boolean writesFailing() {
      return failing;
    }
  }
}
