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

  @Test
  void aMessageDeliveredAgainWhileItsRunWaitsForItsLimitNeitherCountsNorRunsItTwice()
      throws InterruptedException {
    InMemoryTransport memory = new InMemoryTransport();
    try (Angora angora = Angora.builder().transport(new EverythingRedelivered(memory))
        .task(TaskDefinition.builder("serial").triggers("go").command("sleep 1")
            .concurrency(1).replay(0).build())
        .build()) {
      angora.start();
      Message first = new Message("m-1", "go", null, "wf-1", null, null, Instant.now());
      Message second = new Message("m-2", "go", null, "wf-2", null, null, Instant.now());

      memory.send(first).join();
      memory.send(second).join();
      memory.send(second).join(); // its run waits: the copy must not dispatch it
      memory.send(first).join(); // its run is running: the copy must not count it again

      assertThat(angora.awaitIdle(Duration.ofSeconds(30))).isTrue();
      java.util.List<io.angora.api.Run> runs = angora.runs().query(RunQuery.newest(10)).runs();
      assertThat(runs).hasSize(2)
          .allMatch(r -> r.status() == io.angora.api.RunStatus.SUCCEEDED);
      java.util.List<io.angora.api.Run> byStart = runs.stream()
          .sorted(java.util.Comparator.comparing(io.angora.api.Run::startedAt)).toList();
      assertThat(byStart.get(1).startedAt()).isAfterOrEqualTo(byStart.get(0).finishedAt());
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
