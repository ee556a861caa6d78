package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.api.Run;
import io.angora.api.StoreException;
import io.angora.jdbc.internal.Dialect;
import io.angora.jdbc.internal.Migrations;
import io.angora.jdbc.internal.Rows;
import io.angora.tck.RunFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {
  @TempDir Path dir;
  private final RunFixtures fixtures = new RunFixtures();

  @Test
  void createsTheSchemaOnAFreshFileAndRecordsItsVersion() throws Exception {
    Path file = dir.resolve("sub/folder/angora.db");
    JdbcRunStore.sqlite(file).close();
    assertThat(query(file, "SELECT version, script FROM angora_schema_version"))
        .containsExactly("1 V1__init.sql", "2 V2__schedules.sql");
    assertThat(query(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .contains("runs", "messages", "pending_replays", "schedules", "angora_schema_version");
    assertThat(query(file, "PRAGMA journal_mode")).containsExactly("wal");
  }

  @Test
  void reopensAnExistingFileKeepingItsHistory() throws Exception {
    Path file = dir.resolve("angora.db");
    Run run = RunFixtures.finish(fixtures.queued("t", "wf"), io.angora.api.RunStatus.SUCCEEDED);
    try (JdbcRunStore store = JdbcRunStore.sqlite(file)) {
      store.insert(run);
    }
    try (JdbcRunStore store = JdbcRunStore.open("jdbc:sqlite:" + file)) {
      assertThat(store.find(run.id())).contains(run);
    }
    assertThat(query(file, "SELECT COUNT(*) FROM angora_schema_version")).containsExactly("2");
  }

  @Test
  void migratesAVersion1FileToVersion2KeepingItsHistory() throws Exception {
    Path file = dir.resolve("angora.db");
    Run run = RunFixtures.finish(fixtures.queued("t", "wf"), io.angora.api.RunStatus.SUCCEEDED);
    // The file as Angora with schema version 1 left it: its tables and one run.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(Migrations.migrate(c, Dialect.SQLITE, file.toString(), Clock.systemUTC(), 1))
          .isZero();
      try (PreparedStatement insert = c.prepareStatement(Rows.upsertRuns(1))) {
        new Rows(Dialect.SQLITE).bindRun(insert, 0, run);
        insert.executeUpdate();
      }
    }
    assertThat(query(file, "SELECT version FROM angora_schema_version")).containsExactly("1");
    assertThat(query(file, "SELECT name FROM sqlite_master WHERE name = 'schedules'")).isEmpty();

    Instant at = Instant.parse("2026-11-30T01:05:00Z");
    try (JdbcRunStore store = JdbcRunStore.sqlite(file)) {
      assertThat(store.find(run.id())).contains(run);
      assertThat(store.lastFire("nightly")).isEmpty();
      store.recordFire("nightly", at);
    }
    assertThat(query(file, "SELECT version, script FROM angora_schema_version ORDER BY version"))
        .containsExactly("1 V1__init.sql", "2 V2__schedules.sql");
    try (JdbcRunStore store = JdbcRunStore.sqlite(file)) {
      assertThat(store.lastFire("nightly")).contains(at);
    }
  }

  @Test
  void refusesAFileWrittenByANewerVersion() throws Exception {
    Path file = dir.resolve("angora.db");
    JdbcRunStore.sqlite(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO angora_schema_version VALUES (3, 'V3__future.sql', 'later')");
    }
    assertThatThrownBy(() -> JdbcRunStore.sqlite(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version 3")
        .hasMessageContaining("versions up to 2");
    // The refused open released its lock: the file can be opened once fixed.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM angora_schema_version WHERE version = 3");
    }
    JdbcRunStore.sqlite(file).close();
  }

  @Test
  void refusesUnsupportedAndInMemoryUrls() {
    assertThatThrownBy(() -> JdbcRunStore.open("jdbc:mysql://db/angora?password=secret"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("jdbc:mysql://db/angora?password=***")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> JdbcRunStore.open("jdbc:sqlite::memory:"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("in-memory");
  }

  @Test
  void redactsPasswordsInUrls() {
    assertThat(JdbcRunStoreBuilder.redact("jdbc:postgresql://u:pw@h:5432/db?user=x&password=pw"))
        .isEqualTo("jdbc:postgresql://u:***@h:5432/db?user=x&password=***");
  }

  private static List<String> query(Path file, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? " " : "").append(r.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
