package io.angora.jdbc.internal;

import io.angora.api.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Reuses read connections: a few idle ones are kept, more are opened when readers run at once.
 * A connection that failed is closed rather than reused.
 *
 * <p>Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
  private final String store;
  private final ConnectionSource source;
  private final LinkedBlockingDeque<Connection> idle;
  private volatile boolean closed;

  /**
   * Creates an empty pool.
   *
   * @param store the store's name for error messages
   * @param source opens connections
   * @param maxIdle how many idle connections to keep
   */
  public ConnectionPool(String store, ConnectionSource source, int maxIdle) {
    this.store = store;
    this.source = source;
    this.idle = new LinkedBlockingDeque<>(maxIdle);
  }

  /**
   * Runs work on a pooled connection.
   *
   * @param what what is read, for the error message
   * @param work the work
   * @param <T> its result
   * @return the result
   * @throws StoreException if the database fails
   */
  public <T> T read(String what, SqlWork<T> work) {
    if (closed) {
      throw new StoreException("run store " + store + " is closed; cannot read " + what);
    }
    Connection connection = idle.pollFirst();
    try {
      if (connection == null) {
        connection = source.open();
      }
      T result = work.apply(connection);
      if (closed || !idle.offerFirst(connection)) {
        connection.close();
      }
      return result;
    } catch (SQLException e) {
      StoreException failure = new StoreException("run store " + store + ": cannot read " + what
          + ": " + e.getMessage(), e);
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException closing) {
          failure.addSuppressed(closing);
        }
      }
      throw failure;
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        throw new StoreException("run store " + store + ": closing a read connection failed", e);
      }
    }
  }
}
