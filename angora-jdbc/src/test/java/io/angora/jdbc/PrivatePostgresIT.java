package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.tck.PrivatePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The private PostgreSQL fixture: stopped, killed and started again, it keeps what committed. */
class PrivatePostgresIT {

  @Test
  @Timeout(180)
  void keepsCommittedRowsAcrossAStopAndACrashAndRemovesEverythingOnClose() throws Exception {
    Path dir;
    try (PrivatePostgres pg = PrivatePostgres.create()) {
      dir = pg.directory();
      execute(pg, "CREATE TABLE t (n INTEGER)");
      execute(pg, "INSERT INTO t VALUES (1)");

      pg.stop();
      assertThat(pg.running()).isFalse();
      assertThatThrownBy(() -> count(pg)).isInstanceOf(SQLException.class);
      pg.start();
      assertThat(count(pg)).isEqualTo(1);

      execute(pg, "INSERT INTO t VALUES (2)");
      pg.kill();
      assertThatThrownBy(() -> count(pg)).isInstanceOf(SQLException.class);
      int port = pg.port();
      pg.start();
      assertThat(pg.port()).isEqualTo(port);
      assertThat(count(pg)).isEqualTo(2);
      assertThat(Files.isDirectory(dir)).isTrue();
    }
    assertThat(Files.exists(dir)).isFalse();
  }

  private static void execute(PrivatePostgres pg, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static int count(PrivatePostgres pg) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT count(*) FROM t")) {
      row.next();
      return row.getInt(1);
    }
  }
}
