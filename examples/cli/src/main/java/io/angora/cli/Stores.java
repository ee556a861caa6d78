package io.angora.cli;

import io.angora.api.RunStore;
import io.angora.engine.InMemoryRunStore;
import io.angora.jdbc.JdbcRunStore;
import java.nio.file.Path;

/** The {@code --store} option: a SQLite file (default {@code angora.db}), a JDBC URL, or memory. */
final class Stores {
  static final String DEFAULT = "angora.db";

  private Stores() {}

  static RunStore open(String spec) {
    if (spec.equals("memory")) {
      return new InMemoryRunStore();
    }
    if (spec.startsWith("jdbc:")) {
      return JdbcRunStore.open(spec);
    }
    return JdbcRunStore.sqlite(Path.of(spec));
  }
}
