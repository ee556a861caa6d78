package io.angora.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.angora.amqp.internal.AmqpSubscription;
import io.angora.amqp.internal.BatchDeliveries;
import io.angora.amqp.internal.BrokerVersion;
import io.angora.amqp.internal.ClaimBoard;
import io.angora.amqp.internal.ConfirmingPublisher;
import io.angora.amqp.internal.DeadLetters;
import io.angora.amqp.internal.EventCodec;
import io.angora.amqp.internal.JobCodec;
import io.angora.amqp.internal.MalformedDeliveryException;
import io.angora.amqp.internal.MessageCodec;
import io.angora.amqp.internal.Signatures;
import io.angora.amqp.internal.NamedThreads;
import io.angora.amqp.internal.OutcomeBatcher;
import io.angora.amqp.internal.QuietRecoveryLog;
import io.angora.amqp.internal.StrictUtf8;
import io.angora.amqp.internal.TimeOrderedIds;
import io.angora.amqp.internal.Topology;
import io.angora.api.Delivery;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.MessageText;
import io.angora.api.Subscription;
import io.angora.api.Transport;
import io.angora.api.TransportException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} on a RabbitMQ (AMQP 0-9-1) broker, for a coordinator and workers on
 * different machines.
 *
 * <p>Messages, jobs and job events go to durable queues ({@code initialize}, {@code start},
 * {@code results}, with an optional prefix), each future completing on the broker's publisher
 * confirm: messages and outcomes persistent, jobs and start reports transient (their runs are
 * in the coordinator's store, which dispatches again what a broker restart dropped);
 * cancellations go to a fanout exchange. Consumers ack manually and only when the handler
 * settles; a worker's prefetch is what it asks for. The
 * connection and its queues, bindings and consumers recover by themselves after a network or
 * broker failure; meanwhile publishing fails at once with {@link TransportException}. The wire
 * format is documented in the module README: UTF-8 text with {@code angora-*} headers for
 * messages (any AMQP client can send one), JSON for jobs and events.
 *
 * <p>Thread-safe. Handlers run on the transport's consumer threads, one at a time per
 * subscription; futures complete on its callback threads.
 */
public final class AmqpTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpTransport.class);

  private final Settings settings;
  private final Topology topology;
  private final Connection connection;
  private final Channel topologyChannel; // kept open: topology recovery declares through it
  private final ConfirmingPublisher publisher;
  private final DeadLetters deadLetters;
  private final BrokerVersion brokerVersion;
  private final TimeOrderedIds ids;
  private final OutcomeBatcher outcomes;
  private final ExecutorService consumerThreads;
  private final ExecutorService callbackThreads;
  private final ScheduledExecutorService timer;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong losses = new AtomicLong();
  private final AtomicBoolean warnedAboutConsumerTimeout = new AtomicBoolean();
  private @Nullable ClaimBoard claims; // guarded by this; created by the first job consumer

  private AmqpTransport(Settings settings, Connection connection, Channel topologyChannel,
      ConfirmingPublisher publisher, ExecutorService consumerThreads, ExecutorService callbackThreads,
      ScheduledExecutorService timer) {
    this.settings = settings;
    this.topology = Topology.named(settings.prefix());
    this.connection = connection;
    this.topologyChannel = topologyChannel;
    this.publisher = publisher;
    this.deadLetters = new DeadLetters(publisher, topology.dead());
    this.consumerThreads = consumerThreads;
    this.callbackThreads = callbackThreads;
    this.timer = timer;
    this.ids = new TimeOrderedIds(settings.clock());
    this.outcomes = new OutcomeBatcher(settings.outcomeBatchWindow(), timer,
        body -> publishEvent("angora.event", body), body -> publishEvent("angora.events", body));
    Object version = connection.getServerProperties().get("version");
    this.brokerVersion = BrokerVersion.parse(version == null ? "" : version.toString());
    long sweep = Math.max(100, Math.min(1000, settings.confirmTimeout().toMillis() / 4));
    timer.scheduleWithFixedDelay(publisher::expireOverdue, sweep, sweep, TimeUnit.MILLISECONDS);
    connection.addShutdownListener(this::onConnectionLost);
    ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
      @Override
      public void handleRecovery(Recoverable recoverable) {
        LOG.info("reconnected to the AMQP broker at {}", settings.redactedUri());
      }

      @Override
      public void handleRecoveryStarted(Recoverable recoverable) {
        LOG.debug("reconnecting to the AMQP broker at {}", settings.redactedUri());
      }
    });
  }

  /**
   * Connects with default settings.
   *
   * @param uri an AMQP URI, e.g. {@code amqp://guest:guest@127.0.0.1:5672}
   * @return the connected transport, its queues declared
   * @throws TransportException if the broker cannot be reached or refuses
   */
  public static AmqpTransport connect(String uri) {
    return builder().uri(uri).build();
  }

  /**
   * Starts configuring a transport.
   *
   * @return a builder with the defaults listed on its methods
   */
  public static AmqpTransportBuilder builder() {
    return new AmqpTransportBuilder();
  }

  static AmqpTransport open(Settings settings) {
    ConnectionFactory factory = settings.connectionFactory();
    ExecutorService consumerThreads = Executors.newFixedThreadPool(
        Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
        new NamedThreads("angora-amqp-consumer-"));
    ExecutorService callbackThreads = Executors.newCachedThreadPool(
        new NamedThreads("angora-amqp-callback-"));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        new NamedThreads("angora-amqp-timer-"));
    Connection connection = null;
    try {
      connection = factory.newConnection(consumerThreads, settings.connectionName());
      Channel topologyChannel = Topology.named(settings.prefix()).declare(connection);
      ConfirmingPublisher publisher = new ConfirmingPublisher(connection,
          settings.confirmTimeout(), callbackThreads);
      LOG.info("connected to the AMQP broker at {} as '{}'", settings.redactedUri(),
          settings.connectionName());
      return new AmqpTransport(settings, connection, topologyChannel, publisher, consumerThreads,
          callbackThreads, timer);
    } catch (IOException | TimeoutException | RuntimeException e) {
      if (connection != null) {
        connection.abort(1000);
      }
      consumerThreads.shutdownNow();
      callbackThreads.shutdownNow();
      timer.shutdownNow();
      throw new TransportException("cannot connect to the AMQP broker at "
          + settings.redactedUri() + ": " + e, e);
    }
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
    AMQP.BasicProperties properties = MessageCodec.properties(message);
    byte[] body;
    try {
      body = MessageCodec.body(message);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return publisher.publish("", topology.initialize(), true, properties, body);
  }

  @Override
  public CompletableFuture<Void> dispatch(Job job) {
    byte[] body = JobCodec.encode(job);
    // The start queue is a priority queue (Topology): the broker hands out higher first.
    // Transient: the store's QUEUED row is the job's durable copy, and the coordinator
    // dispatches again what a broker restart dropped (connectionLosses). A persistent message
    // costs the broker about twice the CPU of a transient one.
    AMQP.BasicProperties properties = json("angora.job", job.runId() + "/" + job.attempt(),
        false).builder().priority(job.task().flow().priority()).build();
    return publisher.publish("", topology.start(), true,
        signed(properties, "", topology.start(), body), body);
  }

  @Override
  public CompletableFuture<Void> report(JobEvent event) {
    if (event instanceof JobEvent.JobFinished outcome) {
      return outcomes.report(outcome);
    }
    // Heartbeats and live output are worth nothing after a broker restart, and a start report
    // lost in one leaves its run QUEUED, which the coordinator then suspects (connectionLosses)
    // and finds in flight through heartbeats; outcomes and the rest must survive one.
    boolean persistent = !(event instanceof JobEvent.WorkerHeartbeat)
        && !(event instanceof JobEvent.JobOutput) && !(event instanceof JobEvent.JobStarted);
    byte[] body = EventCodec.encode(event);
    return publisher.publish("", topology.results(), true,
        signed(json("angora.event", ids.get(), persistent), "", topology.results(), body), body);
  }

  /** Publishes an outcome or a batch of outcomes, persistent. */
  private CompletableFuture<Void> publishEvent(String type, byte[] body) {
    return publisher.publish("", topology.results(), true,
        signed(json(type, ids.get(), true), "", topology.results(), body), body);
  }

  @Override
  public CompletableFuture<Void> cancel(String runId) {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .contentType("text/plain").contentEncoding("utf-8").deliveryMode(1).build();
    byte[] body = runId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // Not mandatory: with no worker running there is nobody to tell, and that is fine.
    return publisher.publish(topology.cancel(), "", false,
        signed(properties, topology.cancel(), "", body), body);
  }

  /** The properties with a signature, when the installation has a shared key. */
  private AMQP.BasicProperties signed(AMQP.BasicProperties properties, String exchange,
      String routingKey, byte[] body) {
    Signatures signatures = settings.signatures();
    return signatures == null ? properties
        : signatures.sign(properties, exchange, routingKey, body);
  }

  /** Refuses an unsigned, forged or expired delivery, when the installation has a key. */
  private void verify(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    Signatures signatures = settings.signatures();
    if (signatures != null) {
      signatures.verify(envelope, properties, body);
    }
  }

  private AMQP.BasicProperties json(String type, String messageId, boolean persistent) {
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json").contentEncoding("utf-8").type(type)
        .deliveryMode(persistent ? 2 : 1).messageId(messageId)
        .timestamp(Date.from(settings.clock().instant())).build();
  }

  @Override
  public Subscription consumeMessages(Consumer<Delivery<Message>> handler) {
    String queue = topology.initialize();
    return subscribe("queue '" + queue + "'", false, (channel, consumer) -> {
      channel.basicQos(settings.coordinatorPrefetch());
      return channel.basicConsume(queue, false, consumer);
    }, (envelope, properties, body) -> MessageCodec.decode(properties, body, settings.clock(),
        ids),
        Message::id, handler);
  }

  @Override
  public Subscription consumeJobs(int concurrency, Consumer<Delivery<Job>> handler) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be 1 or more, not " + concurrency);
    }
    String queue = topology.start();
    Duration timeout = settings.consumerTimeout();
    Map<String, Object> args = timeout == null ? Map.of()
        : Map.of("x-consumer-timeout", timeout.toMillis());
    if (timeout != null && !brokerVersion.honoursConsumerTimeoutArgument()
        && warnedAboutConsumerTimeout.compareAndSet(false, true)) {
      LOG.warn("RabbitMQ {} ignores the per-consumer timeout (x-consumer-timeout needs 3.12 or "
          + "3.11.15+): a job running longer than the broker's consumer_timeout (30 min by "
          + "default) is delivered again; raise consumer_timeout in rabbitmq.conf",
          brokerVersion.text());
    }
    ClaimBoard board = claimBoard();
    // Outcomes waiting for a batch hold their jobs unacknowledged: a third of the prefetch at
    // most (a worker takes three times its slots: the running, as many waiting, these).
    outcomes.flushAt(concurrency / 3);
    return subscribe("queue '" + queue + "'", false, (channel, consumer) -> {
      channel.basicQos(concurrency); // fair dispatch: never more than the worker can run
      return channel.basicConsume(queue, false, args, consumer);
    }, (envelope, properties, body) -> {
      verify(envelope, properties, body);
      return JobCodec.decode(body);
    }, job -> job.runId() + "/" + job.attempt(),
        handler, board);
  }

  private synchronized ClaimBoard claimBoard() {
    if (claims == null) {
      try {
        claims = ClaimBoard.start(connection, topology.claims(), publisher, timer, deadLetters,
            settings.signatures());
      } catch (IOException | ShutdownSignalException e) {
        throw new TransportException("cannot consume exchange '" + topology.claims() + "' on "
            + settings.redactedUri() + ": " + e, e);
      }
    }
    return claims;
  }

  @Override
  public Subscription consumeEvents(Consumer<Delivery<JobEvent>> handler) {
    String queue = topology.results();
    String source = "queue '" + queue + "'";
    Envelope from = new Envelope(0, false, "", queue);
    // A batch of outcomes arrives as one delivery, handed out as one delivery per outcome.
    BatchDeliveries<JobEvent> parts = new BatchDeliveries<>(source, handler,
        (event, reason) -> deadLetters.publish(from, json("angora.event", ids.get(), true),
            EventCodec.encode(event), reason));
    return subscribe(source, false, (channel, consumer) -> {
      channel.basicQos(settings.coordinatorPrefetch());
      return channel.basicConsume(queue, false, consumer);
    }, (envelope, properties, body) -> {
      verify(envelope, properties, body);
      return EventCodec.decodeAll(body);
    }, events -> null, parts);
  }

  @Override
  public Subscription consumeCancellations(Consumer<String> handler) {
    String exchange = topology.cancel();
    return subscribe("exchange '" + exchange + "'", true, (channel, consumer) -> {
      // Each worker gets its own server-named queue, gone when the worker is.
      String queue = channel.queueDeclare().getQueue();
      channel.queueBind(queue, exchange, "");
      return channel.basicConsume(queue, true, consumer);
    }, (envelope, properties, body) -> {
      verify(envelope, properties, body);
      String runId = StrictUtf8.decode(body, "cancellation").strip();
      try {
        return MessageText.checkId("cancellation run id", runId);
      } catch (IllegalArgumentException e) {
        throw new MalformedDeliveryException(e.getMessage(), e);
      }
    }, runId -> null, delivery -> handler.accept(delivery.body()));
  }

  private <T> Subscription subscribe(String source, boolean autoAck,
      AmqpSubscription.Setup setup, AmqpSubscription.Decoder<T> decoder,
      Function<T, @Nullable String> identity, Consumer<Delivery<T>> handler) {
    return subscribe(source, autoAck, setup, decoder, identity, handler, null);
  }

  private <T> Subscription subscribe(String source, boolean autoAck,
      AmqpSubscription.Setup setup, AmqpSubscription.Decoder<T> decoder,
      Function<T, @Nullable String> identity, Consumer<Delivery<T>> handler,
      @Nullable ClaimBoard board) {
    if (closed.get()) {
      throw new TransportException("cannot consume " + source + ": transport is closed");
    }
    try {
      Subscription s = AmqpSubscription.start(connection, source, autoAck, setup, decoder,
          identity, handler, timer, settings.recoveryInterval(), board, deadLetters);
      subscriptions.add(s);
      return s;
    } catch (IOException | ShutdownSignalException e) {
      throw new TransportException("cannot consume " + source + " on "
          + settings.redactedUri() + ": " + e, e);
    }
  }

  /** Channels the broker closed (e.g. past its consumer timeout) that consumers reopened. */
  int channelsReopened() {
    return subscriptions.stream().filter(s -> s instanceof AmqpSubscription<?>)
        .mapToInt(s -> ((AmqpSubscription<?>) s).reopened()).sum();
  }

  /** Whether the connection to the broker is open (false while it recovers). */
  @Override
  public boolean connected() {
    return connection.isOpen() && !closed.get();
  }

  @Override
  public long connectionLosses() {
    return losses.get();
  }

  /**
   * Always true: queues are durable, and so is what they carry that exists nowhere else
   * (messages, outcomes); jobs and start reports are transient, their runs recorded in the
   * store.
   */
  @Override
  public boolean durable() {
    return true;
  }

  /**
   * Messages ready in each queue (not counting delivered, unsettled ones), keyed by the queue's
   * name without the prefix ({@code initialize}, {@code start}, {@code replay}, {@code results},
   * {@code dead}), as the in-memory transport does; empty while disconnected.
   */
  @Override
  public Map<String, Long> queueDepths() {
    Map<String, Long> depths = new LinkedHashMap<>();
    List<String> keys = List.of("initialize", "start", "replay", "results", "dead");
    List<String> queues = topology.queues();
    for (int i = 0; i < queues.size(); i++) {
      String queue = queues.get(i);
      try {
        Channel channel = connection.createChannel();
        try {
          depths.put(keys.get(i), (long) channel.queueDeclarePassive(queue).getMessageCount());
        } finally {
          if (channel.isOpen()) {
            channel.close();
          }
        }
      } catch (IOException | TimeoutException | ShutdownSignalException e) {
        LOG.debug("no depth for queue '{}': {}", queue, e.toString());
      }
    }
    return depths;
  }

  private void onConnectionLost(ShutdownSignalException signal) {
    if (!signal.isInitiatedByApplication()) {
      losses.incrementAndGet();
      LOG.warn("lost the connection to the AMQP broker at {} ({}); reconnecting every {}",
          settings.redactedUri(), signal.getMessage(), settings.recoveryInterval());
    }
  }

  /**
   * Stops the consumers, waits briefly for outstanding confirms, closes the connection (the
   * broker then redelivers unsettled items to other consumers) and stops the threads.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    subscriptions.forEach(Subscription::close);
    synchronized (this) {
      if (claims != null) {
        claims.close();
      }
    }
    outcomes.close();
    publisher.drain(Duration.ofSeconds(2));
    publisher.close();
    try {
      connection.close(5000);
    } catch (IOException | ShutdownSignalException e) {
      LOG.debug("closing the connection to {} failed: {}", settings.redactedUri(), e.toString());
    }
    timer.shutdownNow();
    consumerThreads.shutdown();
    callbackThreads.shutdown();
    try {
      if (!consumerThreads.awaitTermination(2, TimeUnit.SECONDS)) {
        consumerThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      consumerThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("disconnected from the AMQP broker at {}", settings.redactedUri());
  }

  @Override
  public String toString() {
    return "AmqpTransport[" + settings.redactedUri() + ", queues " + topology.initialize()
        + ", " + topology.start() + ", " + topology.results() + "]";
  }

  /** What the builder collected. */
  record Settings(String uri, @Nullable String prefix, String connectionName, Clock clock,
      Duration confirmTimeout, Duration recoveryInterval, Duration heartbeat,
      Duration connectTimeout, @Nullable Duration consumerTimeout, int coordinatorPrefetch,
      Duration outcomeBatchWindow, @Nullable Signatures signatures) {

    String redactedUri() {
      return uri.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:***@");
    }

    ConnectionFactory connectionFactory() {
      ConnectionFactory factory = new ConnectionFactory();
      try {
        factory.setUri(uri);
      } catch (java.net.URISyntaxException | java.security.GeneralSecurityException
          | IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid AMQP URI " + redactedUri() + ": "
            + e.getMessage(), e);
      }
      factory.setAutomaticRecoveryEnabled(true);
      factory.setTopologyRecoveryEnabled(true);
      factory.setNetworkRecoveryInterval(recoveryInterval.toMillis());
      factory.setRequestedHeartbeat((int) Math.max(1, heartbeat.toSeconds()));
      factory.setConnectionTimeout((int) connectTimeout.toMillis());
      factory.setThreadFactory(new NamedThreads("angora-amqp-io-"));
      factory.setExceptionHandler(new QuietRecoveryLog(redactedUri()));
      return factory;
    }
  }
}
