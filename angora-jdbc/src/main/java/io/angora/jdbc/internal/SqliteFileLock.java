package io.angora.jdbc.internal;

import io.angora.api.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one process, and one store within it, per SQLite file: an exclusive OS lock on
 * {@code <file>.lock}, which the kernel releases when the process dies (even by SIGKILL). The
 * lock file holds the owner's process id for the error message and is left in place (deleting
 * it would let two processes lock two different files of the same name).
 *
 * <p>Thread-safe.
 */
public final class SqliteFileLock implements AutoCloseable {
  /**
   * Lock files this JVM holds. POSIX record locks belong to the process, and closing any
   * descriptor of the file drops them all, so this JVM must never open a lock file it already
   * holds: this set is the process-wide truth, like the locks themselves.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path lockFile;
  private final FileChannel channel;

  private SqliteFileLock(Path lockFile, FileChannel channel) {
    this.lockFile = lockFile;
    this.channel = channel;
  }

  /**
   * Locks a database file.
   *
   * @param database the SQLite file (it need not exist yet)
   * @return the held lock
   * @throws StoreException if another process or store holds it, or it cannot be created
   */
  public static SqliteFileLock acquire(Path database) {
    Path lockFile = database.toAbsolutePath().normalize()
        .resolveSibling(database.getFileName() + ".lock");
    if (!HELD.add(lockFile)) {
      throw inUse(database, lockFile, "this process (another run store is open on it)");
    }
    try {
      Files.createDirectories(lockFile.getParent());
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ByteBuffer owner = ByteBuffer.allocate(64);
        channel.read(owner, 0);
        channel.close();
        String pid = new String(owner.array(), 0, owner.position(), StandardCharsets.UTF_8).strip();
        throw inUse(database, lockFile, pid.isEmpty() ? "another process" : "process " + pid);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.UTF_8)), 0);
      return new SqliteFileLock(lockFile, channel);
    } catch (IOException e) {
      HELD.remove(lockFile);
      throw new StoreException("run store " + database + ": cannot lock " + lockFile + ": " + e, e);
    } catch (RuntimeException e) {
      HELD.remove(lockFile);
      throw e;
    }
  }

  private static StoreException inUse(Path database, Path lockFile, String owner) {
    return new StoreException("run store " + database + " is in use by " + owner + " (lock file "
        + lockFile + "); stop it or choose another store file");
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StoreException("cannot release lock file " + lockFile, e);
    } finally {
      HELD.remove(lockFile);
    }
  }
}
