package io.angora.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the ITs use: {@code ANGORA_JDBC_URL} or the local server, each store in a
 * schema of its own that is dropped afterwards. Unreachable: the test is skipped, except under
 * {@code CI=true} where it fails.
 */
final class Postgres {
  static final String URL = System.getenv().getOrDefault("ANGORA_JDBC_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private Postgres() {}

  /** Creates a new schema and returns a URL whose connections use it. */
  static String newSchemaUrl() {
    String schema = "angora_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      String why = "PostgreSQL not reachable at " + JdbcRunStoreBuilder.redact(URL)
          + " (set ANGORA_JDBC_URL): " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        fail(why, e);
      }
      Assumptions.abort(why);
    }
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Drops the schema of a URL made by {@link #newSchemaUrl()}. */
  static void dropSchema(String schemaUrl) throws SQLException {
    String schema = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + 14);
    try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
