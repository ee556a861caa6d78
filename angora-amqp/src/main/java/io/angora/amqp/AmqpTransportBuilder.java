package io.angora.amqp;

import io.angora.amqp.internal.KeyFile;
import io.angora.amqp.internal.Signatures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures and connects an {@link AmqpTransport}. Every setting has a default; {@link #build()}
 * connects. Not thread-safe; use one builder per transport.
 */
public final class AmqpTransportBuilder {
  private String uri = "amqp://guest:guest@127.0.0.1:5672";
  private @Nullable String prefix;
  private String connectionName = "angora";
  private Clock clock = Clock.systemUTC();
  private Duration confirmTimeout = Duration.ofSeconds(30);
  private Duration recoveryInterval = Duration.ofSeconds(1);
  private Duration heartbeat = Duration.ofSeconds(10);
  private Duration connectTimeout = Duration.ofSeconds(5);
  private @Nullable Duration consumerTimeout = Duration.ofHours(24);
  private int coordinatorPrefetch = 100;
  private Duration outcomeBatchWindow = DEFAULT_OUTCOME_BATCH_WINDOW;
  private byte @Nullable [] secret;
  private boolean insecure;
  private Duration signatureValidity = DEFAULT_SIGNATURE_VALIDITY;

  /**
   * How long after signing a job, event, cancellation or claim is accepted by default: 24 hours,
   * far beyond a normal backlog, short enough that a captured job cannot be replayed days later.
   */
  public static final Duration DEFAULT_SIGNATURE_VALIDITY = Duration.ofHours(24);
  /** The default {@link #outcomeBatchWindow(Duration)}, in milliseconds. */
  public static final long DEFAULT_OUTCOME_BATCH_WINDOW_MILLIS = 5;
  private static final Duration DEFAULT_OUTCOME_BATCH_WINDOW =
      Duration.ofMillis(DEFAULT_OUTCOME_BATCH_WINDOW_MILLIS);

  AmqpTransportBuilder() {}

  /**
   * Sets the broker, e.g. {@code amqp://user:password@host:5672/vhost} or {@code amqps://...}.
   * Default {@code amqp://guest:guest@127.0.0.1:5672} (no path: the default virtual host
   * {@code /}; a trailing {@code /} would name the empty virtual host).
   *
   * @param amqpUri the URI
   * @return this builder
   */
  public AmqpTransportBuilder uri(String amqpUri) {
    this.uri = Objects.requireNonNull(amqpUri, "uri");
    return this;
  }

  /**
   * Sets a prefix for every queue and exchange, so several installations can share a broker:
   * prefix {@code prod} gives {@code prod.initialize}, {@code prod.start}, ... Default: none.
   *
   * @param queuePrefix letters, digits, {@code . _ -}, or null or empty for none
   * @return this builder
   */
  public AmqpTransportBuilder queuePrefix(@Nullable String queuePrefix) {
    if (queuePrefix != null && !queuePrefix.matches("[A-Za-z0-9._-]{0,100}")) {
      throw new IllegalArgumentException("queue prefix '" + queuePrefix
          + "' may only contain letters, digits, '.', '_' and '-' (at most 100)");
    }
    this.prefix = queuePrefix;
    return this;
  }

  /**
   * Sets the connection's name as the broker shows it (management UI, {@code rabbitmqctl
   * list_connections client_properties}). Default {@code angora}.
   *
   * @param name e.g. {@code angora-worker@host1}
   * @return this builder
   */
  public AmqpTransportBuilder connectionName(String name) {
    this.connectionName = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * Sets the clock for the send time of messages that arrive without one and for publication
   * timestamps. Default UTC system clock.
   *
   * @param time the clock
   * @return this builder
   */
  public AmqpTransportBuilder clock(Clock time) {
    this.clock = Objects.requireNonNull(time, "clock");
    return this;
  }

  /**
   * Sets how long a publication may wait for the broker's confirm before its future fails.
   * Default 30 s.
   *
   * @param timeout a positive duration
   * @return this builder
   */
  public AmqpTransportBuilder publishConfirmTimeout(Duration timeout) {
    this.confirmTimeout = positive(timeout, "publish confirm timeout");
    return this;
  }

  /**
   * Sets the wait between reconnection attempts after the connection is lost. Default 1 s.
   *
   * @param interval a positive duration
   * @return this builder
   */
  public AmqpTransportBuilder recoveryInterval(Duration interval) {
    this.recoveryInterval = positive(interval, "recovery interval");
    return this;
  }

  /**
   * Sets the AMQP heartbeat, which bounds how long a dead peer goes unnoticed. Default 10 s.
   *
   * @param interval at least one second
   * @return this builder
   */
  public AmqpTransportBuilder heartbeat(Duration interval) {
    this.heartbeat = positive(interval, "heartbeat");
    return this;
  }

  /**
   * Sets how long connecting (TCP and AMQP handshake) may take. Default 5 s.
   *
   * @param timeout a positive duration
   * @return this builder
   */
  public AmqpTransportBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connect timeout");
    return this;
  }

  /**
   * Sets the acknowledgement timeout workers ask the broker for on the {@code start} queue
   * ({@code x-consumer-timeout}, honoured by RabbitMQ 3.12+): a job delivery unsettled for longer
   * closes the worker's channel and is delivered again. Make it longer than your longest task.
   * Default 24 hours; null leaves the broker's {@code consumer_timeout} (30 min by default).
   *
   * @param timeout a positive duration, or null
   * @return this builder
   */
  public AmqpTransportBuilder consumerTimeout(@Nullable Duration timeout) {
    this.consumerTimeout = timeout == null ? null : positive(timeout, "consumer timeout");
    return this;
  }

  /**
   * Sets how many messages and job events the coordinator may hold unsettled. Default 100.
   *
   * @param prefetch 1 or more
   * @return this builder
   */
  public AmqpTransportBuilder coordinatorPrefetch(int prefetch) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("coordinator prefetch must be 1 or more");
    }
    this.coordinatorPrefetch = prefetch;
    return this;
  }

  /**
   * Sets how long a worker's outcome waits for others to share its publication: the outcomes
   * finished within the window go to the broker as one message (fewer publications, confirms,
   * deliveries and acknowledgements per job), each job still acknowledged only once the broker
   * confirmed its outcome. A batch leaves earlier when it holds a third of the worker's
   * prefetch. Default {@value #DEFAULT_OUTCOME_BATCH_WINDOW_MILLIS} ms; zero publishes each
   * outcome alone at once.
   *
   * @param window zero or a positive duration of at most 10 s
   * @return this builder
   */
  public AmqpTransportBuilder outcomeBatchWindow(Duration window) {
    if (window.isNegative() || window.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("outcome batch window must be between 0 and 10 s, not "
          + window);
    }
    this.outcomeBatchWindow = window;
    return this;
  }

  /**
   * Sets the shared key that signs and checks the traffic between the coordinator and the
   * workers (jobs, job events, cancellations, claims: HMAC-SHA256); the same key on every
   * process of the installation. Anything unsigned, forged or expired is then dead-lettered
   * with its reason. Messages on {@code initialize} are not signed: they only choose among the
   * declared tasks.
   *
   * @param key at least 32 bytes, e.g. from {@code head -c 32 /dev/urandom}; copied
   * @return this builder
   * @throws IllegalArgumentException for a key that is too short
   */
  public AmqpTransportBuilder secret(byte[] key) {
    if (key.length < Signatures.MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the shared key is " + key.length + " bytes; at least "
          + Signatures.MIN_KEY_BYTES + " are needed; " + KeyFile.HOW_TO_MAKE);
    }
    this.secret = key.clone();
    this.insecure = false;
    return this;
  }

  /**
   * Reads the shared key (see {@link #secret(byte[])}) from a file readable by its owner only.
   *
   * @param file the key file, e.g. made with {@code head -c 32 /dev/urandom > angora.key;
   *     chmod 600 angora.key}
   * @return this builder
   * @throws IllegalArgumentException naming the file and what is wrong with it (missing,
   *     readable by group or others, too short)
   */
  public AmqpTransportBuilder secretFile(Path file) {
    return secret(KeyFile.read(file));
  }

  /**
   * Accepts running without a shared key: jobs, events, cancellations and claims travel
   * unsigned, and anyone who can publish to the broker can run any command on every worker.
   * Only for a broker nobody else can reach. Without this or a key, {@link #build()} refuses.
   *
   * @return this builder
   */
  public AmqpTransportBuilder insecure() {
    this.insecure = true;
    this.secret = null;
    return this;
  }

  /**
   * Sets how long after signing an item is accepted. Default
   * {@link #DEFAULT_SIGNATURE_VALIDITY} (24 hours). An item older than that when a consumer
   * gets it is dead-lettered as expired (a coordinator dispatches a queued run again, signed
   * anew, when it reconciles).
   *
   * @param validity a positive duration
   * @return this builder
   */
  public AmqpTransportBuilder signatureValidity(Duration validity) {
    this.signatureValidity = positive(validity, "signature validity");
    return this;
  }

  /**
   * Connects and declares the queues and exchanges.
   *
   * @return the transport
   * @throws io.angora.api.TransportException if the broker cannot be reached or refuses
   * @throws IllegalArgumentException if the URI is invalid
   * @throws IllegalStateException without a {@link #secret(byte[]) shared key} or
   *     {@link #insecure()}
   */
  public AmqpTransport build() {
    if (secret == null && !insecure) {
      throw new IllegalStateException("no shared key for the AMQP transport: set one with "
          + "secret(...) or secretFile(...) (" + KeyFile.HOW_TO_MAKE + "), or call insecure() "
          + "to let anyone who can publish to the broker run commands on the workers");
    }
    Signatures signatures = secret == null ? null
        : new Signatures(secret, signatureValidity, clock);
    return AmqpTransport.open(new AmqpTransport.Settings(uri, prefix, connectionName, clock,
        confirmTimeout, recoveryInterval, heartbeat, connectTimeout, consumerTimeout,
        coordinatorPrefetch, outcomeBatchWindow, signatures));
  }

  private static Duration positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + d);
    }
    return d;
  }
}
