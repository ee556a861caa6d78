package io.angora.amqp;

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
   * Connects and declares the queues and exchanges.
   *
   * @return the transport
   * @throws io.angora.api.TransportException if the broker cannot be reached or refuses
   * @throws IllegalArgumentException if the URI is invalid
   */
  public AmqpTransport build() {
    return AmqpTransport.open(new AmqpTransport.Settings(uri, prefix, connectionName, clock,
        confirmTimeout, recoveryInterval, heartbeat, connectTimeout, consumerTimeout,
        coordinatorPrefetch));
  }

  private static Duration positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + d);
    }
    return d;
  }
}
