package io.angora.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
   * Binds an instant, truncated to the microsecond.
   *
   * @param statement the statement
   * @param index the parameter index
   * @param instant the instant, or null
   * @throws SQLException if binding fails
   */
  public void setInstant(PreparedStatement statement, int index, @Nullable Instant instant)
      throws SQLException {
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
