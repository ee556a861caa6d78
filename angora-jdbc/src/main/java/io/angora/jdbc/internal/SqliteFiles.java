package io.angora.jdbc.internal;

import io.angora.api.StoreException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an SQLite store's files readable by their owner only (0600): the database holds
 * commands' output and payloads. The database file is created with that mode before SQLite
 * opens it, whatever the umask; SQLite gives its {@code -wal} and {@code -shm} files the
 * database's mode, and they are checked again after opening. A file found with a wider mode is
 * tightened and that is logged. On a file system without POSIX permissions nothing is done.
 *
 * <p>Stateless.
 */
public final class SqliteFiles {
  private static final Logger log = LoggerFactory.getLogger(SqliteFiles.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private SqliteFiles() {}

  /**
   * Creates the database file owner-only if absent, and tightens it if wider.
   *
   * @param database the SQLite file
   * @throws StoreException if it cannot be created or its mode cannot be changed
   */
  public static void prepare(Path database) {
    if (!posix(database)) {
      return;
    }
    try {
      Files.createFile(database, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      tighten(database);
    } catch (IOException e) {
      throw new StoreException("run store " + database + ": cannot create the file: " + e, e);
    }
  }

  /**
   * Tightens the database file and its {@code -wal}, {@code -shm} and {@code -journal} files
   * where they exist.
   *
   * @param database the SQLite file
   * @throws StoreException if a mode cannot be changed
   */
  public static void tightenAll(Path database) {
    if (!posix(database)) {
      return;
    }
    for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
      Path file = database.resolveSibling(database.getFileName() + suffix);
      if (Files.exists(file)) {
        tighten(file);
      }
    }
  }

  private static void tighten(Path file) {
    try {
      Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(now) || !now.containsAll(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        log.warn("run store file {} had mode {}; tightened to rw------- (owner only)", file,
            PosixFilePermissions.toString(now));
      }
    } catch (IOException e) {
      throw new StoreException("run store file " + file + ": cannot make it owner-only: " + e, e);
    }
  }

  private static boolean posix(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null;
  }
}
