package io.angora.jdbc.internal;

import io.angora.api.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reuses connections for reads and for the rare synchronous writes: a few idle ones are kept,
 * more are opened when readers run at once. A connection that failed is closed rather than
 * reused; work that fails on a kept connection is tried once more on a new one.
 *
 * <p>Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);
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
    return run("read", what, work);
  }

  /**
   * Runs a write on a pooled connection in auto-commit mode, so it is committed when this
   * returns. The work must be idempotent: it is tried once more on a new connection when a kept
   * one fails.
   *
   * @param what what is written, for the error message
   * @param work the work
   * @param <T> its result
   * @return the result
   * @throws StoreException if the database fails
   */
  public <T> T write(String what, SqlWork<T> work) {
    return run("write", what, work);
  }

  private <T> T run(String verb, String what, SqlWork<T> work) {
    if (closed) {
      throw new StoreException("run store " + store + " is closed; cannot " + verb + " " + what);
    }
    SQLException staleFailure = null;
    Connection kept = idle.pollFirst();
    if (kept != null) {
      try {
        return use(kept, work);
      } catch (SQLException e) {
        // An idle connection may have been cut (database restarted): try once on a new one.
        staleFailure = e;
        log.debug("run store {}: a kept connection failed to {} {}, retrying on a new one",
            store, verb, what, e);
      }
    }
    Connection fresh = null;
    try {
      fresh = source.open();
      return use(fresh, work);
    } catch (SQLException e) {
      StoreException failure = new StoreException("run store " + store + ": cannot " + verb + " "
          + what + ": " + e.getMessage(), e);
      if (staleFailure != null) {
        failure.addSuppressed(staleFailure);
      }
      if (fresh != null) {
        closeAfterFailure(fresh, failure);
      }
      throw failure;
    }
  }

  private <T> T use(Connection connection, SqlWork<T> work) throws SQLException {
    T result;
    try {
      result = work.apply(connection);
    } catch (SQLException e) {
      closeAfterFailure(connection, e);
      throw e;
    } catch (AssertionError e) {
      // pgjdbc throws AssertionError when the server goes away mid-statement.
      SQLException failure = new SQLException("the database driver failed: " + e, "08006", e);
      closeAfterFailure(connection, failure);
      throw failure;
    }
    if (closed || !idle.offerFirst(connection)) {
      connection.close();
    }
    return result;
  }

  private static void closeAfterFailure(Connection connection, Exception failure) {
    try {
      connection.close();
    } catch (SQLException closing) {
      failure.addSuppressed(closing);
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
