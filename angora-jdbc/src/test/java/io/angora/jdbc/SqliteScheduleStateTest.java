package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.api.RunStore;
import io.angora.api.StoreException;
import io.angora.tck.ScheduleStateContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteScheduleStateTest extends ScheduleStateContract {
  @TempDir Path dir;
  private final Map<RunStore, Path> files = new HashMap<>();

  @Override
  protected RunStore newStore() {
    Path file = dir.resolve("angora-" + files.size() + ".db");
    JdbcRunStore store = JdbcRunStore.sqlite(file);
    files.put(store, file);
    return store;
  }

  @Override
  protected RunStore reopen(RunStore store) {
    Path file = files.get(store);
    store.close();
    JdbcRunStore again = JdbcRunStore.sqlite(file);
    files.put(again, file);
    return again;
  }

  @Test
  void aRecordedFireIsCommittedBeforeRecordFireReturns() throws Exception {
    Path file = dir.resolve("durable.db");
    Instant at = Instant.parse("2026-11-30T01:05:00.000001Z");
    try (JdbcRunStore store = JdbcRunStore.sqlite(file)) {
      store.recordFire("nightly", at);
      store.setSchedulePaused("hourly", true);
      // Read by another connection while the store is open and without flushing: what a
      // coordinator restarted after a crash right after the send would find.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement();
          ResultSet row = s.executeQuery(
              "SELECT name, last_fire, paused FROM schedules ORDER BY name")) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("name")).isEqualTo("hourly");
        assertThat(row.getObject("last_fire")).isNull();
        assertThat(row.getInt("paused")).isEqualTo(1);
        assertThat(row.next()).isTrue();
        assertThat(row.getString("name")).isEqualTo("nightly");
        assertThat(row.getLong("last_fire")).isEqualTo(at.getEpochSecond() * 1_000_000L + 1);
        assertThat(row.getInt("paused")).isZero();
        assertThat(row.next()).isFalse();
      }
    }
  }

  @Test
  void aFailedWriteThrowsNamingTheScheduleAndTheStore() throws Exception {
    Path file = dir.resolve("broken.db");
    try (JdbcRunStore store = JdbcRunStore.sqlite(file)) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE schedules");
      }
      assertThatThrownBy(() -> store.recordFire("nightly", Instant.EPOCH))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("schedule nightly")
          .hasMessageContaining(file.toString());
      assertThatThrownBy(() -> store.lastFire("nightly"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("schedule nightly");
    }
  }

  @Test
  void refusesScheduleWritesOnceClosed() {
    JdbcRunStore store = JdbcRunStore.sqlite(dir.resolve("closed.db"));
    store.close();
    assertThatThrownBy(() -> store.setSchedulePaused("nightly", true))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
  }
}
