package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.api.StoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLockTest {
  @TempDir Path dir;

  @Test
  void refusesASecondStoreOnTheSameFileUntilTheFirstCloses() {
    Path file = dir.resolve("angora.db");
    JdbcRunStore first = JdbcRunStore.sqlite(file);
    assertThatThrownBy(() -> JdbcRunStore.sqlite(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("in use")
        .hasMessageContaining(file.toString());
    // The refused attempt must not have released the first store's lock.
    assertThatThrownBy(() -> JdbcRunStore.open("jdbc:sqlite:" + file))
        .isInstanceOf(StoreException.class);
    first.close();
    JdbcRunStore.sqlite(file).close();
    assertThat(dir.resolve("angora.db.lock")).exists();
  }
}
