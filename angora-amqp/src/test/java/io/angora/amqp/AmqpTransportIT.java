package io.angora.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import io.angora.api.Transport;
import io.angora.tck.TransportContract;
import java.util.IdentityHashMap;
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

  @AfterAll
  static void deleteQueues() {
    USED.forEach(AmqpTestBroker::deleteTopology);
    USED.clear();
  }
}
