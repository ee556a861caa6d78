package io.angora.amqp.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.TopologyRecoveryException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each failed reconnection attempt as one warning line instead of the client's stack trace
 * at error level: while a broker restarts, failed attempts are expected, every second.
 * Thread-safe.
 */
public final class QuietRecoveryLog extends ForgivingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(QuietRecoveryLog.class);
  private final String broker;

  /**
   * Creates the handler.
   *
   * @param broker the broker's address for log lines (without password)
   */
  public QuietRecoveryLog(String broker) {
    this.broker = broker;
  }

  @Override
  public void handleConnectionRecoveryException(Connection conn, Throwable exception) {
    LOG.warn("reconnecting to the AMQP broker at {} failed: {}; retrying", broker,
        exception.getCause() != null ? exception.getCause().toString() : exception.toString());
  }

  @Override
  public void handleTopologyRecoveryException(Connection conn, Channel ch,
      TopologyRecoveryException exception) {
    LOG.warn("restoring queues or consumers on {} failed: {}", broker, exception.getMessage());
  }
}
