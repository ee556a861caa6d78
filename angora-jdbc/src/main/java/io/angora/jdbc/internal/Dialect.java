package io.angora.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * What differs between the supported databases: where the migration scripts are, how instants
 * and text are bound. Both keep instants to the microsecond.
 */
public enum Dialect {
  /** SQLite through org.xerial sqlite-jdbc; instants as INTEGER microseconds since the epoch. */
  SQLITE("sqlite"),
  /** PostgreSQL; instants as TIMESTAMPTZ. */
  POSTGRESQL("postgresql");

  private static final long MICROS_PER_SECOND = 1_000_000L;
  /** WAL pages after which the SQLite writer checkpoints (40 MB of 4 KiB pages). */
  static final int SQLITE_CHECKPOINT_PAGES = 10_000;
  /** PostgreSQL's TIMESTAMPTZ holds 4713 BC to 294276 AD; these bounds stay inside. */
  private static final Instant POSTGRES_MIN = Instant.parse("-4712-01-01T00:00:00Z");
  private static final Instant POSTGRES_MAX = Instant.parse("+294276-12-31T23:59:59.999999Z");
  /** SQLite keeps microseconds since the epoch in a 64-bit integer. */
  private static final Instant SQLITE_MIN = Instant.ofEpochSecond(
      Long.MIN_VALUE / MICROS_PER_SECOND + 1);
  private static final Instant SQLITE_MAX = Instant.ofEpochSecond(
      Long.MAX_VALUE / MICROS_PER_SECOND - 1);
  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /**
   * The dialect of a JDBC URL.
   *
   * @param jdbcUrl the URL
   * @return the dialect, or null when unsupported
   */
  public static @Nullable Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    return null;
  }

  /**
   * The classpath folder of this dialect's migration scripts.
   *
   * @return e.g. {@code db/sqlite}
   */
  public String scriptFolder() {
    return "db/" + folder;
  }

  /**
   * Binds an instant, truncated to the microsecond. An instant the database cannot hold is
   * refused, never clamped.
   *
   * @param statement the statement
   * @param index the parameter index
   * @param instant the instant, or null
   * @throws java.sql.SQLDataException (SQLState 22008) if the instant is out of the range this
   *     database keeps
   * @throws SQLException if binding fails
   */
  public void setInstant(PreparedStatement statement, int index, @Nullable Instant instant)
      throws SQLException {
    if (instant != null && (instant.isBefore(minInstant()) || instant.isAfter(maxInstant()))) {
      throw new java.sql.SQLDataException("instant " + instant + " is out of the range "
          + (this == SQLITE ? "SQLite" : "PostgreSQL") + " keeps here (" + minInstant() + " to "
          + maxInstant() + ")", "22008");
    }
    if (this == SQLITE) {
      if (instant == null) {
        statement.setNull(index, Types.BIGINT);
      } else {
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(),
            MICROS_PER_SECOND), instant.getNano() / 1000);
        statement.setLong(index, micros);
      }
    } else if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index,
          OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  /**
   * Sets up the writer's connection. On SQLite the writer checkpoints the WAL after 10 000
   * pages instead of SQLite's 1000: a checkpoint copies each
   * page once however often it changed since the last one, and the same few pages (the ends of
   * the tables and indexes) change at every commit. Durability is the same: a commit is in the
   * WAL either way.
   *
   * @param writer the writer's connection
   * @throws SQLException if the database fails
   */
  public void prepareWriter(Connection writer) throws SQLException {
    if (this == SQLITE) {
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA wal_autocheckpoint = " + SQLITE_CHECKPOINT_PAGES);
      }
    }
  }

  /**
   * The earliest instant this database keeps.
   *
   * @return the instant
   */
  public Instant minInstant() {
    return this == SQLITE ? SQLITE_MIN : POSTGRES_MIN;
  }

  /**
   * The latest instant this database keeps.
   *
   * @return the instant
   */
  public Instant maxInstant() {
    return this == SQLITE ? SQLITE_MAX : POSTGRES_MAX;
  }

  /**
   * Reads an instant.
   *
   * @param row the result set, on a row
   * @param column the column's name
   * @return the instant, or null
   * @throws SQLException if reading fails
   */
  public @Nullable Instant getInstant(ResultSet row, String column) throws SQLException {
    if (this == SQLITE) {
      long micros = row.getLong(column);
      if (row.wasNull()) {
        return null;
      }
      return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
          Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
    }
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /**
   * Binds text. PostgreSQL refuses the NUL character in text, and a row it refuses would block
   * every later write, so NUL becomes U+FFFD there; SQLite keeps text as is.
   *
   * @param statement the statement
   * @param index the parameter index
   * @param text the text, or null
   * @throws SQLException if binding fails
   */
  public void setText(PreparedStatement statement, int index, @Nullable String text)
      throws SQLException {
    if (text != null && this == POSTGRESQL && text.indexOf('\0') >= 0) {
      statement.setString(index, text.replace('\0', '\uFFFD'));
    } else {
      statement.setString(index, text);
    }
  }
}
