package io.angora.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * Schedule state in the {@code schedules} table: the fire time each schedule last fired for
 * and whether it is paused. Unlike runs, these writes are not batched: each is committed before
 * it returns, because the scheduler records a fire time before it sends the message and must
 * find it after a crash right after the send (else a restart would fire it again). They are
 * rare (one per firing, pause or resume), so the round trip costs nothing that matters.
 *
 * <p>Thread-safe; every call uses a connection of the pool.
 */
public final class ScheduleRows {
  private static final String SELECT = "SELECT last_fire, paused FROM schedules WHERE name = ?";
  private static final String UPSERT_FIRE = "INSERT INTO schedules (name, last_fire, paused) "
      + "VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET last_fire = excluded.last_fire";
  private static final String UPSERT_PAUSED = "INSERT INTO schedules (name, paused) "
      + "VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET paused = excluded.paused";

  private final ConnectionPool pool;
  private final Dialect dialect;

  /**
   * Creates the access.
   *
   * @param pool connections, in auto-commit mode
   * @param dialect the database's dialect
   */
  public ScheduleRows(ConnectionPool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /**
   * The fire time a schedule last fired for.
   *
   * @param schedule the schedule's name
   * @return the fire time, or empty when it never fired
   */
  public Optional<Instant> lastFire(String schedule) {
    return pool.read("the last fire time of schedule " + schedule, c -> {
      try (PreparedStatement s = c.prepareStatement(SELECT)) {
        dialect.setText(s, 1, schedule);
        try (ResultSet row = s.executeQuery()) {
          return row.next() ? Optional.ofNullable(dialect.getInstant(row, "last_fire"))
              : Optional.<Instant>empty();
        }
      }
    });
  }

  /**
   * Whether a schedule is paused.
   *
   * @param schedule the schedule's name
   * @return true when paused
   */
  public boolean paused(String schedule) {
    return pool.read("whether schedule " + schedule + " is paused", c -> {
      try (PreparedStatement s = c.prepareStatement(SELECT)) {
        dialect.setText(s, 1, schedule);
        try (ResultSet row = s.executeQuery()) {
          return row.next() && row.getBoolean("paused");
        }
      }
    });
  }

  /**
   * Records, committed on return, the fire time a schedule fired for; keeps its pause.
   *
   * @param schedule the schedule's name
   * @param fireTime the fire time
   */
  public void recordFire(String schedule, Instant fireTime) {
    pool.write("fire time " + fireTime + " of schedule " + schedule, c -> {
      try (PreparedStatement s = c.prepareStatement(UPSERT_FIRE)) {
        dialect.setText(s, 1, schedule);
        dialect.setInstant(s, 2, fireTime);
        s.setBoolean(3, false);
        return s.executeUpdate();
      }
    });
  }

  /**
   * Records, committed on return, that a schedule is paused or resumed; keeps its last fire.
   *
   * @param schedule the schedule's name
   * @param paused true when paused
   */
  public void setPaused(String schedule, boolean paused) {
    pool.write((paused ? "pause" : "resume") + " of schedule " + schedule, c -> {
      try (PreparedStatement s = c.prepareStatement(UPSERT_PAUSED)) {
        dialect.setText(s, 1, schedule);
        s.setBoolean(2, paused);
        return s.executeUpdate();
      }
    });
  }
}
