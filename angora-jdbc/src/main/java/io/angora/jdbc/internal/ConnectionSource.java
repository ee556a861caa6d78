package io.angora.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens JDBC connections to one database. Implementations are thread-safe. */
@FunctionalInterface
public interface ConnectionSource {
  /**
   * Opens a new connection, in auto-commit mode.
   *
   * @return the connection; the caller closes it
   * @throws SQLException if the database cannot be reached
   */
  Connection open() throws SQLException;
}
