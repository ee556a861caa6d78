package io.angora.jdbc;

import java.nio.file.Path;

/** A child process for {@link SqliteLockIT}: opens a store, says so, and waits for stdin to end. */
public final class LockHolder {
  private LockHolder() {}

  /**
   * Opens the store named by the first argument and holds it until standard input closes.
   *
   * @param args the SQLite file
   * @throws Exception if it cannot
   */
  public static void main(String[] args) throws Exception {
    try (JdbcRunStore store = JdbcRunStore.sqlite(Path.of(args[0]))) {
      System.out.println("open " + ProcessHandle.current().pid() + " " + store.recentMessages(1));
      System.out.flush();
      while (System.in.read() >= 0) {
        // Holds the store until the parent closes our stdin or dies.
      }
    }
  }
}
