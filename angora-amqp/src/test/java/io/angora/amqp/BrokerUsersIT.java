package io.angora.amqp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One broker user per role with exactly the permissions the README gives (made with
 * {@code rabbitmqctl add_user} and {@code set_permissions}, deleted afterwards): the
 * coordinator declares the topology, the worker and the sender work without configure
 * permission on it, and the sender cannot take jobs.
 */
class BrokerUsersIT {
  private String prefix;
  private final List<String> users = new ArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @BeforeEach
  void names() {
    prefix = AmqpTestBroker.uniquePrefix("users");
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    for (String user : users) {
      rabbitmqctl("delete_user", user);
    }
    AmqpTestBroker.deleteTopology(prefix);
  }

  /** The README's permission sets, for queue prefix {@code p}. */
  static String[] coordinator(String p) {
    String q = p.replace(".", "\\.").replace("-", "\\-");
    return new String[] {
        "^" + q + "\\.(initialize|start|replay|results|dead|cancel|claims)$",
        "^(amq\\.default|" + q + "\\.(dead|cancel))$",
        "^" + q + "\\.(initialize|start|replay|results|dead)$"};
  }

  static String[] worker(String p) {
    String q = p.replace(".", "\\.").replace("-", "\\-");
    return new String[] {
        "^amq\\.gen-.*$",
        "^(amq\\.default|" + q + "\\.(dead|claims)|amq\\.gen-.*)$",
        "^(" + q + "\\.(start|cancel|claims)|amq\\.gen-.*)$"};
  }

  static String[] sender() {
    return new String[] {"^$", "^amq\\.default$", "^$"};
  }

  private String user(String role, String[] permissions) throws Exception {
    String name = prefix + "-" + role;
    String password = UUID.randomUUID().toString();
    rabbitmqctl("add_user", name, password);
    users.add(name);
    rabbitmqctl("set_permissions", "-p", "/", name, permissions[0], permissions[1],
        permissions[2]);
    URI base = URI.create(AmqpTestBroker.uri());
    return "amqp://" + name + ":" + password + "@" + base.getHost() + ":"
        + (base.getPort() < 0 ? 5672 : base.getPort());
  }

  private AmqpTransport transport(String uri) {
    AmqpTransport t = AmqpTestBroker.builder().uri(uri).queuePrefix(prefix).build();
    toClose.add(t);
    return t;
  }

  @Test
  void eachRoleWorksWithItsOwnPermissionsOnly() throws Exception {
    AmqpTransport coordinator = transport(user("coordinator", coordinator(prefix)));
    AmqpTransport worker = transport(user("worker", worker(prefix)));
    String senderUri = user("sender", sender());
    AmqpTransport sender = AmqpTransport.builder().uri(senderUri).queuePrefix(prefix).insecure()
        .build();
    toClose.add(sender);

    BlockingQueue<Delivery<Message>> messages = new LinkedBlockingQueue<>();
    BlockingQueue<Delivery<Job>> jobs = new LinkedBlockingQueue<>();
    BlockingQueue<Delivery<JobEvent>> events = new LinkedBlockingQueue<>();
    BlockingQueue<String> cancels = new LinkedBlockingQueue<>();
    toClose.add(coordinator.consumeMessages(messages::add));
    toClose.add(coordinator.consumeEvents(events::add));
    toClose.add(worker.consumeJobs(1, jobs::add));
    toClose.add(worker.consumeCancellations(cancels::add));

    sender.send(new Message("m-1", "a.b", null, "wf", null, null, Instant.now()))
        .get(10, TimeUnit.SECONDS);
    Delivery<Message> message = messages.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    message.ack();
    coordinator.dispatch(AmqpWireIT.TestJobs.job("run-1")).get(10, TimeUnit.SECONDS);
    Delivery<Job> job = jobs.poll(10, TimeUnit.SECONDS);
    assertThat(job).isNotNull();
    coordinator.cancel("run-1").get(10, TimeUnit.SECONDS);
    assertThat(cancels.poll(10, TimeUnit.SECONDS)).isEqualTo("run-1");
    worker.report(new JobEvent.JobStarted("run-1", "t", "w", Instant.now()))
        .get(10, TimeUnit.SECONDS);
    job.ack();
    Delivery<JobEvent> event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    event.ack();

    // The sender may publish messages, nothing else: it cannot read jobs nor publish them.
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(senderUri);
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      assertThatThrownBy(() -> ch.basicGet(prefix + ".start", true))
          .isInstanceOf(IOException.class);
    }
    assertThatThrownBy(() -> worker.consumeMessages(d -> { }))
        .as("a worker cannot read messages").isInstanceOf(RuntimeException.class);
  }

  private static void rabbitmqctl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
    }
  }
}
