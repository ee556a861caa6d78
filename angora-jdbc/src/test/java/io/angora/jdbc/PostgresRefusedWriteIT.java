package io.angora.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class PostgresRefusedWriteIT extends RefusedWriteCases {
  private String url;

  @BeforeEach
  void createSchema() {
    url = Postgres.newSchemaUrl();
  }

  @AfterEach
  void dropSchema() throws Exception {
    Postgres.dropSchema(url);
  }

  @Override
  JdbcRunStore open() {
    return JdbcRunStore.open(url);
  }
}
