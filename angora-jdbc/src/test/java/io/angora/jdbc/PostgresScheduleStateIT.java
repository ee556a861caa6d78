package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import io.angora.jdbc.internal.Dialect;
import io.angora.jdbc.internal.Migrations;
import io.angora.jdbc.internal.Rows;
import io.angora.tck.RunFixtures;
import io.angora.tck.ScheduleStateContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresScheduleStateIT extends ScheduleStateContract {
  private final Map<RunStore, String> urls = new HashMap<>();
  /** Schemas of this class's own cases, whose stores are closed when the case ends. */
  private final List<String> schemas = new ArrayList<>();

  @Override
  protected RunStore newStore() {
    String url = Postgres.newSchemaUrl();
    JdbcRunStore store = JdbcRunStore.open(url);
    urls.put(store, url);
    return store;
  }

  @Override
  protected RunStore reopen(RunStore store) {
    String url = urls.get(store);
    store.close();
    JdbcRunStore again = JdbcRunStore.open(url);
    urls.put(again, url);
    return again;
  }

  /** Drops a schema once the last store on it is closed. */
  @Override
  protected void cleanUp(RunStore used) throws Exception {
    used.close();
    String url = urls.remove(used);
    if (url != null && !urls.containsValue(url)) {
      Postgres.dropSchema(url);
    }
  }

  private String newSchema() {
    String url = Postgres.newSchemaUrl();
    schemas.add(url);
    return url;
  }

  @AfterEach
  void dropSchemas() throws Exception {
    for (String url : schemas) {
      Postgres.dropSchema(url);
    }
  }

  @Test
  void aRecordedFireIsCommittedBeforeRecordFireReturns() throws Exception {
    String url = newSchema();
    Instant at = Instant.parse("2026-11-30T01:05:00.000001Z");
    try (JdbcRunStore store = JdbcRunStore.open(url)) {
      store.recordFire("nightly", at);
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
          ResultSet row = s.executeQuery("SELECT last_fire, paused FROM schedules")) {
        assertThat(row.next()).isTrue();
        assertThat(Dialect.POSTGRESQL.getInstant(row, "last_fire")).isEqualTo(at);
        assertThat(row.getBoolean("paused")).isFalse();
        assertThat(row.next()).isFalse();
      }
    }
  }

  @Test
  void migratesAVersion1SchemaToVersion2KeepingItsHistory() throws Exception {
    String url = newSchema();
    Run run = RunFixtures.finish(new RunFixtures().queued("t", "wf"), RunStatus.SUCCEEDED);
    try (Connection c = DriverManager.getConnection(url)) {
      assertThat(Migrations.migrate(c, Dialect.POSTGRESQL, "test", Clock.systemUTC(), 1))
          .isZero();
      try (PreparedStatement insert = c.prepareStatement(Rows.upsertRuns(1))) {
        new Rows(Dialect.POSTGRESQL).bindRun(insert, 0, run);
        insert.executeUpdate();
      }
    }
    assertThat(versions(url)).containsExactly("1 V1__init.sql");

    Instant at = Instant.parse("2026-11-30T01:05:00Z");
    try (JdbcRunStore store = JdbcRunStore.open(url)) {
      assertThat(store.find(run.id())).contains(run);
      store.setSchedulePaused("nightly", true);
      store.recordFire("nightly", at);
    }
    assertThat(versions(url)).containsExactly("1 V1__init.sql", "2 V2__schedules.sql");
    try (JdbcRunStore store = JdbcRunStore.open(url)) {
      assertThat(store.lastFire("nightly")).contains(at);
      assertThat(store.schedulePaused("nightly")).isTrue();
    }
  }

  private static List<String> versions(String url) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(
            "SELECT version, script FROM angora_schema_version ORDER BY version")) {
      while (r.next()) {
        rows.add(r.getInt(1) + " " + r.getString(2));
      }
    }
    return rows;
  }
}
