package io.angora.amqp.internal;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker objects of one Angora installation and their names: four durable queues named after
 * the original's ({@code initialize}, {@code start}, {@code replay}, {@code results}; {@code start}
 * a priority queue, {@code x-max-priority} 9), a
 * dead-letter exchange and queue, and fanout exchanges for cancellations and for the workers'
 * news about redelivered jobs. With a prefix
 * {@code p}, a queue is {@code p.initialize} and the dead-letter queue {@code p.dead}; without,
 * {@code initialize} and {@code angora.dead}. The queues are declared as classic queues of
 * version 2 ({@code x-queue-version}, RabbitMQ 3.10 and later, the default of later ones; older
 * brokers ignore the argument): its index and store cost the broker less CPU per persistent
 * message than version 1's, and the throughput harness's RabbitMQ mode ran about a quarter
 * faster with it. Immutable and thread-safe.
 *
 * @param initialize the queue of messages for the coordinator
 * @param start the queue of jobs for the workers
 * @param replay declared for the original's topology; Angora schedules replays in its run store
 * @param results the queue of job events for the coordinator
 * @param dead the dead-letter exchange and queue
 * @param cancel the fanout exchange of cancellation requests
 * @param claims the fanout exchange where workers share news about redelivered jobs
 */
public record Topology(String initialize, String start, String replay, String results,
    String dead, String cancel, String claims) {
  private static final Logger LOG = LoggerFactory.getLogger(Topology.class);
  private static final int PRECONDITION_FAILED = 406;
  private static final int ACCESS_REFUSED = 403;
  /** The start queue's {@code x-max-priority}: task priorities go from 0 to 9. */
  static final int MAX_PRIORITY = 9;
  /** The classic queue version declared: 2, the cheaper index and store of RabbitMQ 3.10+. */
  static final int QUEUE_VERSION = 2;
  /** What to do about a start queue an older Angora declared without priorities. */
  private static final String UPGRADE = "; if an older Angora declared it without"
      + " x-max-priority, the broker hands its jobs out in publication order (the coordinator"
      + " still lets waiting runs through higher priority first): to have priorities there too,"
      + " stop every process, let the queue drain, delete it with 'rabbitmqctl delete_queue NAME'"
      + " and start the coordinator, which declares it anew";

  /**
   * The names for a prefix.
   *
   * @param prefix the prefix, or null or empty for none
   * @return the topology
   */
  public static Topology named(@Nullable String prefix) {
    boolean none = prefix == null || prefix.isEmpty();
    String p = none ? "" : prefix + ".";
    String own = none ? "angora." : p;
    return new Topology(p + "initialize", p + "start", p + "replay", p + "results",
        own + "dead", own + "cancel", own + "claims");
  }

  /** The durable queues: initialize, start, replay, results, dead (in this order). */
  public List<String> queues() {
    return List.of(initialize, start, replay, results, dead);
  }

  /**
   * Declares everything (idempotent). A queue that already exists with other arguments (e.g.
   * declared by an older setup without a dead-letter exchange) is used as it is, with a warning;
   * one this broker user may not configure (a worker's or sender's user) must exist already.
   *
   * <p>Returns the channel the declarations were made on, which the caller keeps open for the
   * connection's life: the client's topology recovery redeclares recorded queues and exchanges
   * through the channel that first declared them, and fails if that channel was closed.
   *
   * @param connection an open connection
   * @return the declaring channel, to be closed with the connection
   * @throws IOException if the broker refuses a declaration for another reason
   */
  public Channel declare(Connection connection) throws IOException {
    Channel channel = connection.createChannel();
    channel = declare(connection, channel, "exchange '" + dead + "'",
        ch -> ch.exchangeDeclare(dead, BuiltinExchangeType.FANOUT, true),
        ch -> ch.exchangeDeclarePassive(dead));
    channel = declare(connection, channel, "queue '" + dead + "'",
        ch -> ch.queueDeclare(dead, true, false, false, null),
        ch -> ch.queueDeclarePassive(dead));
    channel = declare(connection, channel, "binding of '" + dead + "'",
        ch -> ch.queueBind(dead, dead, ""), ch -> { });
    for (String exchange : List.of(cancel, claims)) {
      channel = declare(connection, channel, "exchange '" + exchange + "'",
          ch -> ch.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true),
          ch -> ch.exchangeDeclarePassive(exchange));
    }
    Map<String, Object> args = Map.of("x-dead-letter-exchange", dead);
    for (String queue : List.of(initialize, replay, results)) {
      channel = declareQueue(connection, channel, queue, args, "");
    }
    Map<String, Object> jobs = Map.of("x-dead-letter-exchange", dead,
        "x-max-priority", MAX_PRIORITY);
    return declareQueue(connection, channel, start, jobs, UPGRADE.replace("NAME", start));
  }

  /**
   * Declares a durable queue as a classic queue of version 2. One an older Angora declared
   * without {@code x-queue-version} (the broker refuses the argument then) is declared with
   * the arguments alone, and so used as it is: version 1 until an operator converts it in
   * place, as the log line says.
   */
  private static Channel declareQueue(Connection connection, Channel channel, String queue,
      Map<String, Object> args, String ifDifferent) throws IOException {
    Map<String, Object> versioned = new HashMap<>(args);
    versioned.put("x-queue-version", QUEUE_VERSION);
    try {
      channel.queueDeclare(queue, true, false, false, versioned);
      return channel;
    } catch (IOException e) {
      ShutdownSignalException s = refusal(e);
      // The broker names the first argument that differs; another one is reported below.
      if (preconditionFailed(s) && String.valueOf(s.getReason()).contains("x-queue-version")) {
        LOG.info("queue '{}' exists without x-queue-version {} (an older Angora declared it); "
            + "using it as it is. Converting it in place to the cheaper classic queue version 2 "
            + "takes a policy: rabbitmqctl set_policy --apply-to queues angora-queue-version "
            + "'^{}$' '{\"queue-version\":2}'", queue, QUEUE_VERSION,
            queue.replace(".", "\\."));
      }
      channel.abort(); // closed by the broker; forget it so recovery does not retry it
    }
    return declare(connection, connection.createChannel(), "queue '" + queue + "'",
        ch -> ch.queueDeclare(queue, true, false, false, args),
        ch -> ch.queueDeclarePassive(queue), ifDifferent);
  }

  /** One declaration, on a channel the broker may close. */
  @FunctionalInterface
  private interface Step {
    void run(Channel channel) throws IOException;
  }

  /**
   * Declares; when the broker refuses because the object exists with other arguments, or
   * because this user may not configure it (a worker or sender with the permissions the README
   * gives: the coordinator declared it), checks that it exists instead.
   */
  private static Channel declare(Connection connection, Channel channel, String what,
      Step declaration, Step check) throws IOException {
    return declare(connection, channel, what, declaration, check, "");
  }

  /** As above, with what to tell the operator when the object exists with other arguments. */
  private static Channel declare(Connection connection, Channel channel, String what,
      Step declaration, Step check, String ifDifferent) throws IOException {
    try {
      declaration.run(channel);
      return channel;
    } catch (IOException e) {
      ShutdownSignalException s = refusal(e);
      if (preconditionFailed(s)) {
        LOG.warn("{} exists with other arguments ({}); using it as it is: rejected deliveries "
            + "from it may be dropped, not dead-lettered{}", what, s.getReason(), ifDifferent);
      } else {
        LOG.debug("not allowed to declare {}; using it as the coordinator declared it", what);
      }
      channel.abort(); // closed by the broker; forget it so recovery does not retry it
      Channel fresh = connection.createChannel();
      check.run(fresh);
      return fresh;
    }
  }

  /**
   * The broker's refusal of a declaration: the object exists with other arguments, or this
   * user may not configure it. Anything else is thrown on.
   */
  private static ShutdownSignalException refusal(IOException e) throws IOException {
    if (e.getCause() instanceof ShutdownSignalException s
        && (preconditionFailed(s) || accessRefused(s))) {
      return s;
    }
    throw e;
  }

  private static boolean accessRefused(ShutdownSignalException s) {
    return s.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
        && close.getReplyCode() == ACCESS_REFUSED;
  }

  private static boolean preconditionFailed(ShutdownSignalException s) {
    return s.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
        && close.getReplyCode() == PRECONDITION_FAILED;
  }

  static void closeQuietly(Channel channel) {
    if (!channel.isOpen()) {
      return;
    }
    try {
      channel.close();
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      LOG.debug("closing channel {} failed: {}", channel.getChannelNumber(), e.toString());
    }
  }
}
