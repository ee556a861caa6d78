package io.angora.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRefusedWriteTest extends RefusedWriteCases {
  @TempDir Path dir;

  @Override
  JdbcRunStore open() {
    return JdbcRunStore.sqlite(dir.resolve("angora.db"));
  }
}
