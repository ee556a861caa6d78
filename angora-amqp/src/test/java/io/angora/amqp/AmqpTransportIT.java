package io.angora.amqp;

import io.angora.api.Transport;
import io.angora.tck.TransportContract;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

  @AfterAll
  static void deleteQueues() {
    USED.forEach(AmqpTestBroker::deleteTopology);
    USED.clear();
  }
}
