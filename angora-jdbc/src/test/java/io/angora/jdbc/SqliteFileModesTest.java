package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.jdbc.internal.SqliteFiles;
import io.angora.tck.RunFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** angora.db and its WAL files are the owner's only, whatever the umask made them. */
class SqliteFileModesTest {
  @TempDir Path dir;
  @RegisterExtension final LogCapture logged = new LogCapture(SqliteFiles.class);
  private final RunFixtures fixtures = new RunFixtures();

  @Test
  void createsTheDatabaseAndItsWalFilesOwnerOnly() throws Exception {
    Path db = dir.resolve("angora.db");
    try (JdbcRunStore store = JdbcRunStore.sqlite(db)) {
      store.insert(fixtures.queued("t", "wf"));
      store.flush(Duration.ofSeconds(30));
      assertOwnerOnly(db);
      assertOwnerOnly(dir.resolve("angora.db-wal"));
      assertOwnerOnly(dir.resolve("angora.db-shm"));
    }
    assertThat(logged.events()).isEmpty();
  }

  @Test
  void tightensFilesFoundWiderAndSaysSo() throws Exception {
    Path db = dir.resolve("angora.db");
    JdbcRunStore.sqlite(db).close();
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Path wal = dir.resolve("angora.db-wal");
    Files.deleteIfExists(wal);
    Files.createFile(wal, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-rw-rw-")));
    Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-rw-rw-"));
    try (JdbcRunStore store = JdbcRunStore.sqlite(db)) {
      store.insert(fixtures.queued("t", "wf"));
      store.flush(Duration.ofSeconds(30));
      assertOwnerOnly(db);
      assertOwnerOnly(wal);
      assertOwnerOnly(dir.resolve("angora.db-shm"));
    }
    assertThat(logged.events()).extracting(e -> e.getFormattedMessage())
        .anySatisfy(line -> assertThat(line).contains(db.toString(), "rw-r--r--", "tightened"));
  }

  private static void assertOwnerOnly(Path file) throws Exception {
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .as("mode of %s", file).isEqualTo("rw-------");
  }
}
