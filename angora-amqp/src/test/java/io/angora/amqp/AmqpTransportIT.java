package io.angora.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import io.angora.api.Transport;
import io.angora.tck.TransportContract;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport contract over a real RabbitMQ, on fresh queues for every test (deleted after
 * the class).
 */
class AmqpTransportIT extends TransportContract {
  private final Map<Transport, String> prefixes = new IdentityHashMap<>();
  private static final Set<String> USED = new LinkedHashSet<>();

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @Override
  protected Transport newTransport() {
    return open(AmqpTestBroker.uniquePrefix("contract"));
  }

  @Override
  protected Transport peer(Transport first) {
    return open(prefixes.get(first));
  }

  private Transport open(String prefix) {
    USED.add(prefix);
    AmqpTransport t = AmqpTestBroker.builder().queuePrefix(prefix)
        .connectionName(prefix).build();
    prefixes.put(t, prefix);
    return t;
  }

  /**
   * A start queue an older Angora declared without {@code x-max-priority} is used as it is
   * (declaring it with the argument fails with PRECONDITION_FAILED): jobs still go through.
   */
  @Test
  void aStartQueueDeclaredWithoutPrioritiesByAnOlderAngoraStillCarriesJobs() throws Exception {
    String prefix = AmqpTestBroker.uniquePrefix("upgrade");
    USED.add(prefix);
    try (Connection raw = AmqpTestBroker.rawFactory().newConnection()) {
      Channel channel = raw.createChannel();
      channel.queueDeclare(prefix + ".start", true, false, false,
          Map.of("x-dead-letter-exchange", prefix + ".dead"));
      channel.close();
    }
    Transport old = open(prefix);
    try {
      TaskDefinition task = TaskDefinition.builder("t").triggers("go").command("true")
          .priority(9).build();
      confirmed(old.dispatch(new Job("run-upgraded", task, message("go"), 1)));
      BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
      Subscription consumer = old.consumeJobs(1, received::add);
      Delivery<Job> d = take(received);
      assertThat(d.body().runId()).isEqualTo("run-upgraded");
      d.ack();
      consumer.close();
    } finally {
      old.close();
    }
  }

  /**
   * The queues are classic queues of version 2: declaring one again as version 1 is refused
   * with PRECONDITION_FAILED, which shows the broker holds the argument.
   */
  @Test
  void queuesAreDeclaredAsClassicQueuesOfVersionTwo() throws Exception {
    String prefix = AmqpTestBroker.uniquePrefix("version");
    open(prefix).close();
    try (Connection raw = AmqpTestBroker.rawFactory().newConnection()) {
      for (String queue : List.of(prefix + ".initialize", prefix + ".start",
          prefix + ".results")) {
        Channel channel = raw.createChannel();
        Map<String, Object> args = new HashMap<>(queue.endsWith(".start")
            ? Map.of("x-dead-letter-exchange", prefix + ".dead", "x-max-priority", 9)
            : Map.of("x-dead-letter-exchange", prefix + ".dead"));
        args.put("x-queue-version", 1);
        assertThatThrownBy(() -> channel.queueDeclare(queue, true, false, false, args))
            .as(queue).isInstanceOf(IOException.class)
            .hasStackTraceContaining("inequivalent arg 'x-queue-version'");
      }
    }
  }

  /**
   * Queues an older Angora declared without {@code x-queue-version} (version 1 on this broker)
   * are used as they are: messages and jobs still go through.
   */
  @Test
  void queuesDeclaredWithoutAVersionByAnOlderAngoraStillCarryMessagesAndJobs() throws Exception {
    String prefix = AmqpTestBroker.uniquePrefix("unversioned");
    USED.add(prefix);
    try (Connection raw = AmqpTestBroker.rawFactory().newConnection()) {
      Channel channel = raw.createChannel();
      Map<String, Object> args = Map.of("x-dead-letter-exchange", prefix + ".dead");
      channel.queueDeclare(prefix + ".initialize", true, false, false, args);
      channel.queueDeclare(prefix + ".start", true, false, false,
          Map.of("x-dead-letter-exchange", prefix + ".dead", "x-max-priority", 9));
      channel.close();
    }
    Transport old = open(prefix);
    try {
      confirmed(old.send(message("hello")));
      BlockingQueue<Delivery<io.angora.api.Message>> messages = new LinkedBlockingQueue<>();
      Subscription coordinator = old.consumeMessages(messages::add);
      Delivery<io.angora.api.Message> m = take(messages);
      assertThat(m.body().text()).isEqualTo("hello");
      m.ack();
      coordinator.close();
      TaskDefinition task = TaskDefinition.builder("t").triggers("go").command("true").build();
      confirmed(old.dispatch(new Job("run-unversioned", task, message("go"), 1)));
      BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
      Subscription worker = old.consumeJobs(1, received::add);
      Delivery<Job> d = take(received);
      assertThat(d.body().runId()).isEqualTo("run-unversioned");
      d.ack();
      worker.close();
    } finally {
      old.close();
    }
  }

  /**
   * Messages and outcomes exist nowhere else while queued: persistent. Jobs and start reports
   * are transient (their runs are in the coordinator's store, which dispatches again what a
   * broker restart dropped), and the transport counts the connection losses that may have.
   */
  @Test
  void messagesAndOutcomesArePersistentJobsAndStartReportsTransient() throws Exception {
    String prefix = AmqpTestBroker.uniquePrefix("modes");
    Transport t = open(prefix);
    try (Connection raw = AmqpTestBroker.rawFactory().newConnection()) {
      Channel channel = raw.createChannel();
      TaskDefinition task = TaskDefinition.builder("t").triggers("go").command("true").build();
      confirmed(t.send(message("hello")));
      confirmed(t.dispatch(new Job("run-modes", task, message("go"), 1)));
      java.time.Instant now = java.time.Instant.now();
      confirmed(t.report(new io.angora.api.JobEvent.JobStarted("run-modes", "t", "w", now)));
      confirmed(t.report(new io.angora.api.JobEvent.JobFinished("run-modes", "t",
          io.angora.api.RunStatus.SUCCEEDED, 0, null, "", "w", now, now)));
      assertThat(deliveryMode(channel, prefix + ".initialize")).isEqualTo(2);
      assertThat(deliveryMode(channel, prefix + ".start")).isEqualTo(1);
      assertThat(deliveryMode(channel, prefix + ".results")).as("start report").isEqualTo(1);
      assertThat(deliveryMode(channel, prefix + ".results")).as("outcome").isEqualTo(2);
      assertThat(t.connectionLosses()).isZero();
    } finally {
      t.close();
    }
  }

  private static int deliveryMode(Channel channel, String queue) throws Exception {
    // Confirmed means enqueued: the publication is there to get.
    com.rabbitmq.client.GetResponse got = channel.basicGet(queue, true);
    assertThat(got).as("a delivery on " + queue).isNotNull();
    return got.getProps().getDeliveryMode();
  }

  @AfterAll
  static void deleteQueues() {
    USED.forEach(AmqpTestBroker::deleteTopology);
    USED.clear();
  }
}
