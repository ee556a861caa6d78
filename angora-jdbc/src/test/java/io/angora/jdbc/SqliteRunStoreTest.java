package io.angora.jdbc;

import io.angora.api.RunStore;
import io.angora.tck.RunStoreContract;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunStoreTest extends RunStoreContract {
  @TempDir Path dir;

  @Override
  protected RunStore newStore() {
    return JdbcRunStore.sqlite(dir.resolve("angora.db"));
  }

  @Override
  protected Optional<RunStore> reopenAfterCrash(RunStore crashed) {
    ((JdbcRunStore) crashed).crash();
    return Optional.of(JdbcRunStore.sqlite(dir.resolve("angora.db")));
  }
}
