package io.angora.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on a JDBC connection.
 *
 * @param <T> what it returns
 */
@FunctionalInterface
public interface SqlWork<T> {
  /**
   * Does the work.
   *
   * @param connection an open connection
   * @return the result
   * @throws SQLException if the database fails
   */
  T apply(Connection connection) throws SQLException;
}
