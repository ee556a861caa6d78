package io.angora.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import io.angora.amqp.AmqpWireIT.TestJobs;
import io.angora.amqp.internal.BrokerVersion;
import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.TransportException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection loss and recovery, simulated with a TCP proxy in front of the broker so the shared
 * broker itself is not disturbed.
 */
class AmqpRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private String prefix;
  private TcpProxy proxy;

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void open() throws Exception {
    prefix = AmqpTestBroker.uniquePrefix("recovery");
    proxy = new TcpProxy(AmqpTestBroker.host(), AmqpTestBroker.port());
  }

  @AfterEach
  void close() throws Exception {
    proxy.close();
    AmqpTestBroker.deleteTopology(prefix);
  }

  private AmqpTransport viaProxy() {
    return AmqpTestBroker.builder().uri(AmqpTestBroker.uriVia(proxy.port())).queuePrefix(prefix)
        .connectionName(prefix).recoveryInterval(Duration.ofMillis(300))
        .heartbeat(Duration.ofSeconds(2)).publishConfirmTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void whileDisconnectedPublishingFailsFastAndConsumersResumeAfterRecovery() throws Exception {
    try (AmqpTransport transport = viaProxy()) {
      BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
      transport.consumeJobs(1, received::add);
      transport.dispatch(TestJobs.job("run-1")).get(10, TimeUnit.SECONDS);
      Delivery<Job> beforeLoss = take(received);
      assertThat(beforeLoss.redelivered()).isFalse();

      proxy.down(true);
      await().atMost(WAIT).until(() -> failsQuickly(transport.dispatch(TestJobs.job("x"))));
      CompletableFuture<Void> whileDown = transport.dispatch(TestJobs.job("run-never"));
      assertThatCode(() -> whileDown.get(1, TimeUnit.SECONDS))
          .as("fails at once, neither hangs nor succeeds")
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);

      proxy.down(false);
      await().atMost(WAIT).until(() -> !failsQuickly(transport.dispatch(TestJobs.job("run-2"))));
      // The broker redelivers run-1, but this worker still runs it: the copy is held, not
      // handed out a second time, and it keeps the only prefetch slot.
      assertThat(received.poll(1, TimeUnit.SECONDS)).isNull();

      beforeLoss.ack(); // the first delivery's tag is dead; the ack settles the held copy
      Delivery<Job> next = take(received);
      assertThat(next.body().runId()).isEqualTo("run-2");
      next.ack();
      assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("run-1 never again").isNull();
    }
    assertThat(depth(prefix + ".start")).isZero();
  }

  @Test
  void aJobSettledWhileDisconnectedIsNotHandledAgainWhenTheBrokerRedeliversIt()
      throws Exception {
    try (AmqpTransport transport = viaProxy()) {
      BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
      transport.consumeJobs(1, received::add);
      transport.dispatch(TestJobs.job("run-1")).get(10, TimeUnit.SECONDS);
      Delivery<Job> first = take(received);

      proxy.down(true);
      await().atMost(WAIT).until(() -> failsQuickly(transport.dispatch(TestJobs.job("x"))));
      first.ack(); // its outcome was reported before the loss, say; the ack cannot reach the broker
      proxy.down(false);

      await().atMost(WAIT).until(() -> !failsQuickly(transport.dispatch(TestJobs.job("run-2"))));
      Delivery<Job> next = take(received);
      assertThat(next.body().runId()).as("run-1 is settled on arrival, not run again")
          .isEqualTo("run-2");
      next.ack();
      await().atMost(WAIT).until(() -> depth(prefix + ".start") == 0);
    }
  }

  @Test
  void aJobStillRunningOnAWorkerThatLostItsConnectionIsNotRunByAnother() throws Exception {
    AmqpTransport first = viaProxy();
    try (AmqpTransport other = AmqpTestBroker.transport(prefix, "other")) {
      BlockingQueue<Delivery<Job>> atFirst = new LinkedBlockingQueue<>();
      first.consumeJobs(1, atFirst::add);
      first.dispatch(TestJobs.job("run-1")).get(10, TimeUnit.SECONDS);
      Delivery<Job> running = take(atFirst);
      BlockingQueue<Delivery<Job>> atOther = new LinkedBlockingQueue<>();
      other.consumeJobs(1, atOther::add);

      proxy.down(true); // the broker gives run-1 back and hands it to the other worker...
      await().atMost(WAIT).until(() -> failsQuickly(first.dispatch(TestJobs.job("x"))));
      proxy.down(false);
      // ...which waits for news, and hears that the first worker still runs it.
      assertThat(atOther.poll(6, TimeUnit.SECONDS)).as("run-1 is not run twice").isNull();

      running.ack(); // finished: the first worker tells the other, which settles its copy
      first.close(); // and leaves at once: run-2 can only go to the other worker
      other.dispatch(TestJobs.job("run-2")).get(10, TimeUnit.SECONDS);
      Delivery<Job> next = take(atOther);
      assertThat(next.body().runId()).isEqualTo("run-2");
      next.ack();
    } finally {
      first.close();
    }
  }

  @Test
  void aJobWhoseWorkerIsGoneForGoodRunsElsewhere() throws Exception {
    try (AmqpTransport first = viaProxy();
        AmqpTransport other = AmqpTestBroker.transport(prefix, "other")) {
      BlockingQueue<Delivery<Job>> atFirst = new LinkedBlockingQueue<>();
      first.consumeJobs(1, atFirst::add);
      first.dispatch(TestJobs.job("run-1")).get(10, TimeUnit.SECONDS);
      take(atFirst);
      BlockingQueue<Delivery<Job>> atOther = new LinkedBlockingQueue<>();
      other.consumeJobs(1, atOther::add);

      proxy.down(true); // and it stays down: nobody claims run-1

      Delivery<Job> copy = take(atOther);
      assertThat(copy.body().runId()).isEqualTo("run-1");
      assertThat(copy.redelivered()).isTrue();
      copy.ack();
    }
  }

  private static long depth(String queue) throws Exception {
    try (Connection c = AmqpTestBroker.rawFactory().newConnection()) {
      return c.createChannel().queueDeclarePassive(queue).getMessageCount();
    }
  }

  @Test
  void theBrokerCannotBeReachedAtAllForAWhile() throws Exception {
    try (AmqpTransport transport = viaProxy()) {
      BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
      transport.consumeJobs(2, received::add);
      proxy.down(true);
      await().atMost(WAIT).until(() -> failsQuickly(transport.dispatch(TestJobs.job("x"))));
      // Several reconnection attempts fail while the proxy refuses...
      await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT)
          .until(() -> failsQuickly(transport.dispatch(TestJobs.job("still-down"))));
      proxy.down(false);
      // ...and the transport comes back by itself, consumer included.
      await().atMost(WAIT).ignoreExceptions()
          .until(() -> {
            transport.dispatch(TestJobs.job("back")).get(2, TimeUnit.SECONDS);
            return true;
          });
      Delivery<Job> d = take(received);
      assertThat(d.body().runId()).isEqualTo("back");
      d.ack();
    }
  }

  @Test
  void aDeliveryHeldPastTheConsumerTimeoutIsSettledWithItsCopyNotHandledTwice()
      throws Exception {
    BrokerVersion version;
    try (Connection c = AmqpTestBroker.rawFactory().newConnection()) {
      version = BrokerVersion.parse(c.getServerProperties().get("version").toString());
    }
    BlockingQueue<Delivery<Job>> received = new LinkedBlockingQueue<>();
    // Before 3.12 the broker ignores the per-consumer timeout: lower the broker's own instead.
    try (BrokerConsumerTimeout lowered = version.honoursConsumerTimeoutArgument() ? null
        : BrokerConsumerTimeout.lower(Duration.ofSeconds(2));
        AmqpTransport transport = AmqpTestBroker.builder()
            .queuePrefix(prefix).consumerTimeout(Duration.ofSeconds(1)).build()) {
      transport.consumeJobs(1, received::add);
      transport.dispatch(TestJobs.job("run-slow")).get(10, TimeUnit.SECONDS);
      Delivery<Job> first = take(received);

      // The broker closes the channel past the timeout; the consumer reopens it and the job
      // comes back to it, where it is recognised as the one still being handled.
      await().atMost(Duration.ofSeconds(90)).until(() -> transport.channelsReopened() >= 1);
      first.ack(); // settles the live copy: its own channel is gone
      assertThat(received.poll(3, TimeUnit.SECONDS)).as("the copy handed out again").isNull();
    }
    // Nothing is left in the queue for a new consumer: the copy was acknowledged.
    try (AmqpTransport again = AmqpTestBroker.builder()
        .queuePrefix(prefix).build()) {
      again.consumeJobs(1, received::add);
      assertThat(received.poll(3, TimeUnit.SECONDS)).as("a job left in the queue").isNull();
    }
  }

  private static boolean failsQuickly(CompletableFuture<Void> future) {
    try {
      future.get(2, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof TransportException;
    } catch (Exception e) {
      return false;
    }
  }

  private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(item).as("an item within " + WAIT).isNotNull();
    return item;
  }
}
