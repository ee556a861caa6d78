package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Delivery;
import io.angora.api.Message;
import io.angora.api.RunQuery;
import io.angora.api.Subscription;
import io.angora.api.TaskDefinition;
import io.angora.api.Transport;
import io.angora.tck.ForwardingTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the coordinator does with items a broker delivers a second time. */
class RedeliveryIT {

  @Test
  void aMessageDeliveredAgainDoesNotQueueItsRunsTwice() throws InterruptedException {
    InMemoryTransport memory = new InMemoryTransport();
    try (Angora angora = Angora.builder().transport(new EverythingRedelivered(memory))
        .task(TaskDefinition.builder("a").triggers("go").command("true").build(),
            TaskDefinition.builder("b").triggers("go").command("true").build())
        .build()) {
      angora.start();
      Message message = new Message("m-1", "go", null, "wf-1", null, null, Instant.now());

      memory.send(message).join();
      memory.send(message).join();

      assertThat(angora.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(angora.runs().query(RunQuery.newest(10)).runs())
          .extracting(r -> r.task()).containsExactlyInAnyOrder("a", "b");
    }
  }

  /** Marks every message delivery as redelivered, as a broker does after a crash. */
  private static final class EverythingRedelivered extends ForwardingTransport {
    EverythingRedelivered(Transport delegate) {
      super(delegate);
    }

    @Override
    public Subscription consumeMessages(Consumer<Delivery<Message>> handler) {
      return delegate().consumeMessages(d -> handler.accept(new Delivery<>() {
        @Override
        public Message body() {
          return d.body();
        }

        @Override
        public boolean redelivered() {
          return true;
        }

        @Override
        public void ack() {
          d.ack();
        }

        @Override
        public void reject(String reason) {
          d.reject(reason);
        }

        @Override
        public void requeue() {
          d.requeue();
        }
      }));
    }
  }
}
