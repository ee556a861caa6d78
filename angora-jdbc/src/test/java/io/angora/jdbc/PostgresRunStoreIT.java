package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.api.RunStore;
import io.angora.api.StoreException;
import io.angora.jdbc.internal.Migrations;
import io.angora.tck.RunStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresRunStoreIT extends RunStoreContract {
  private String url;

  @Override
  protected RunStore newStore() {
    url = Postgres.newSchemaUrl();
    return JdbcRunStore.open(url);
  }

  @Override
  protected Optional<RunStore> reopenAfterCrash(RunStore crashed) {
    ((JdbcRunStore) crashed).crash();
    return Optional.of(JdbcRunStore.open(url));
  }

  @Override
  protected void cleanUp(RunStore used) throws Exception {
    used.close();
    Postgres.dropSchema(url);
  }

  @Test
  void survivesReopeningAndRefusesANewerSchema() throws Exception {
    var run = fixtures.queued("t", "wf");
    store.insert(run);
    store.close();
    try (JdbcRunStore again = JdbcRunStore.open(url)) {
      assertThat(again.find(run.id())).contains(run);
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO angora_schema_version VALUES (7, 'V7__future.sql', 'later')");
    }
    assertThatThrownBy(() -> JdbcRunStore.open(url))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 7")
        .hasMessageContaining("up to " + Migrations.latestVersion());
  }

  @Test
  void keepsNulCharactersOutOfPostgres() {
    var run = fixtures.queued("t", "wf");
    var finished = run.started("w", run.queuedAt()).finished(io.angora.api.RunStatus.FAILED, 1,
        null, "binary\0output", run.queuedAt());
    store.insert(finished);
    ((JdbcRunStore) store).flush(Duration.ofSeconds(10));
    assertThat(store.find(run.id()).orElseThrow().output()).isEqualTo("binary\uFFFDoutput");
  }
}
