package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.api.StoreException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SqliteLockIT {
  @TempDir Path dir;

  @Test
  @Timeout(60)
  void refusesAFileHeldByAnotherProcessAndTakesItOnceThatProcessIsKilled() throws Exception {
    Path file = dir.resolve("angora.db");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
        file.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("open " + holder.pid() + " []");

      assertThatThrownBy(() -> JdbcRunStore.sqlite(file))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("in use by process " + holder.pid())
          .hasMessageContaining(file.toString());
    } finally {
      holder.destroyForcibly();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
    // SIGKILL releases the OS lock: no stale lock file blocks the next start.
    try (JdbcRunStore store = JdbcRunStore.sqlite(file)) {
      assertThat(store.recentMessages(1)).isEmpty();
    }
  }
}
