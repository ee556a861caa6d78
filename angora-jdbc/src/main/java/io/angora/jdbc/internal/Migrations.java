package io.angora.jdbc.internal;

import io.angora.api.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and migrates the schema with the versioned scripts {@code db/<dialect>/V<n>__*.sql},
 * recording each applied version in {@code angora_schema_version}. Refuses a database whose
 * schema is newer than this code knows.
 *
 * <p>Stateless; {@link #migrate} runs in one transaction.
 */
public final class Migrations {

  /** The scripts, in order; a script's version is the number after its {@code V}. */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__schedules.sql");

  private Migrations() {}

  /**
   * The schema version this code writes.
   *
   * @return the newest script's version
   */
  public static int latestVersion() {
    return version(SCRIPTS.get(SCRIPTS.size() - 1));
  }

  /**
   * Brings a database's schema to {@link #latestVersion()}.
   *
   * @param connection an open connection; left in auto-commit mode
   * @param dialect the database's dialect
   * @param store the store's name for messages
   * @param clock when versions are applied
   * @return the version the database had before, 0 when it was empty
   * @throws SQLException if the database fails
   * @throws StoreException if the database was written by a newer version
   */
  public static int migrate(Connection connection, Dialect dialect, String store, Clock clock)
      throws SQLException {
    return migrate(connection, dialect, store, clock, latestVersion());
  }

  /**
   * Brings a database's schema to a version no newer than this code knows; tests use it to
   * make a database as an older Angora left it.
   *
   * @param connection an open connection; left in auto-commit mode
   * @param dialect the database's dialect
   * @param store the store's name for messages
   * @param clock when versions are applied
   * @param target the version to stop at, at most {@link #latestVersion()}
   * @return the version the database had before, 0 when it was empty
   * @throws SQLException if the database fails
   * @throws StoreException if the database was written by a newer version
   */
  public static int migrate(Connection connection, Dialect dialect, String store, Clock clock,
      int target) throws SQLException {
    if (target < 1 || target > latestVersion()) {
      throw new IllegalArgumentException("schema version " + target + " is not between 1 and "
          + latestVersion());
    }
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS angora_schema_version ("
          + "version INTEGER NOT NULL PRIMARY KEY, script TEXT NOT NULL, "
          + "applied_at TEXT NOT NULL)");
      if (dialect == Dialect.POSTGRESQL) {
        // Two processes starting at once on one database must not both migrate.
        statement.execute("LOCK TABLE angora_schema_version IN EXCLUSIVE MODE");
      }
      int current;
      try (ResultSet row = statement.executeQuery(
          "SELECT COALESCE(MAX(version), 0) FROM angora_schema_version")) {
        row.next();
        current = row.getInt(1);
      }
      if (current > latestVersion()) {
        throw new StoreException("run store " + store + " has schema version " + current
            + ", written by a newer Angora; this version knows schema versions up to "
            + latestVersion() + ". Upgrade Angora or use another store.");
      }
      for (String script : SCRIPTS) {
        if (version(script) > current && version(script) <= target) {
          for (String sql : statements(dialect.scriptFolder() + "/" + script)) {
            statement.execute(sql);
          }
          try (PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO angora_schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, version(script));
            insert.setString(2, script);
            insert.setString(3, clock.instant().toString());
            insert.executeUpdate();
          }
        }
      }
      connection.commit();
      return current;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  /** Splits a script at semicolons that end a line; comments starting a line are dropped. */
  static List<String> statements(String resource) {
    String text;
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StoreException("migration script " + resource + " is missing from the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("cannot read migration script " + resource, e);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.substring(0, current.lastIndexOf(";")));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString());
    }
    return statements;
  }
}
