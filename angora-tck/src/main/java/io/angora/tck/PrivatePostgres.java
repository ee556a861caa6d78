package io.angora.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster of one test: {@code initdb} into a temporary directory, the
 * server on a free loopback port, stopped or killed and started again at will, everything
 * removed by {@link #close()} (and by a shutdown hook should the JVM end first). For tests of
 * what happens while the database is away, which must never stop the shared server.
 *
 * <p>The binaries are found at run time: {@code pg_config --bindir}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}. Run as root, the server runs as the
 * {@code postgres} OS user (PostgreSQL refuses root) through {@code runuser}, in a directory
 * that user owns. Without an installation the calling test is skipped with a message, and
 * fails instead under {@code CI=true}. The server runs with {@code fsync=off}: a killed server
 * loses nothing the OS already has, which is what a process crash tests; a power loss is not
 * simulated.
 *
 * <p>Not thread-safe: one test drives it.
 */
public final class PrivatePostgres implements AutoCloseable {
  private static final long WAIT_SECONDS = 120;

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;
  private final Thread cleanup;
  private boolean running;
  private boolean closed;

  private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.cleanup = new Thread(this::removeQuietly, "angora-private-postgres-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /**
   * Creates a cluster and starts it.
   *
   * @return the running cluster; the caller closes it
   * @throws org.opentest4j.TestAbortedException when PostgreSQL is not installed (not under
   *     {@code CI=true}, where the test fails instead)
   */
  public static PrivatePostgres create() {
    Path bin = binaries().orElse(null);
    if (bin == null) {
      unavailable("PostgreSQL server binaries not found (no pg_config --bindir with initdb, "
          + "no /usr/lib/postgresql/*/bin); install postgresql");
    }
    Path dir;
    boolean root;
    try {
      dir = Files.createTempDirectory("angora-pg-");
      root = Files.getOwner(dir).getName().equals("root");
      if (root) {
        UserPrincipal postgres;
        try {
          postgres = dir.getFileSystem().getUserPrincipalLookupService()
              .lookupPrincipalByName("postgres");
        } catch (IOException e) {
          Files.delete(dir);
          unavailable("running as root and there is no postgres OS user to run PostgreSQL as");
          throw new AssertionError(e);
        }
        Files.setOwner(dir, postgres);
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for a private PostgreSQL", e);
    }
    PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort(), root);
    try {
      pg.run(List.of(pg.bin.resolve("initdb").toString(), "-D", pg.data.toString(),
          "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"));
      pg.start();
      return pg;
    } catch (RuntimeException | Error e) {
      pg.close();
      throw e;
    }
  }

  /**
   * The JDBC URL of the cluster's {@code postgres} database as user {@code postgres}.
   *
   * @return the URL
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /**
   * The port the server listens on; the same after a restart.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Starts the server (again) on the same port and data; returns once it accepts connections.
   * After {@link #kill()} it recovers from the crash first.
   */
  public void start() {
    if (running) {
      return;
    }
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c fsync=off "
        + "-c unix_socket_directories='" + dir + "'";
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", String.valueOf(WAIT_SECONDS),
        "-o", options, "start"));
    running = true;
  }

  /** Stops the server with a fast shutdown (open sessions are ended) and waits for it. */
  public void stop() {
    if (!running) {
      return;
    }
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
        "-t", String.valueOf(WAIT_SECONDS), "stop"));
    running = false;
  }

  /** Kills the server as a crash would: SIGKILL to the postmaster and every backend. */
  public void kill() {
    if (!running) {
      return;
    }
    postmaster().ifPresent(postmaster -> {
      List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
      all.add(0, postmaster);
      all.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle process : all) {
        try {
          process.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("PostgreSQL process " + process.pid()
              + " did not die after SIGKILL", e);
        }
      }
    });
    running = false;
  }

  /**
   * The directory holding the cluster (data, socket, server log); gone after {@link #close()}.
   *
   * @return the directory
   */
  public Path directory() {
    return dir;
  }

  /** Whether the server was started and not stopped or killed since. */
  public boolean running() {
    return running;
  }

  /** Kills the server if it runs and deletes the cluster's directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      kill();
      deleteTree(dir);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway; it finds nothing left.
      }
    }
  }

  private void removeQuietly() {
    try {
      kill();
      deleteTree(dir);
    } catch (RuntimeException e) {
      System.err.println("could not remove private PostgreSQL in " + dir + ": " + e);
    }
  }

  private Optional<ProcessHandle> postmaster() {
    try {
      List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
      return lines.isEmpty() ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    try {
      Process process = new ProcessBuilder(full).directory(dir.toFile())
          .redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + full);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("failed with exit code " + process.exitValue() + ": "
            + full + "\n" + new String(output, StandardCharsets.UTF_8) + serverLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + full, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + full, e);
    }
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<Path> binaries() {
    try {
      Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true)
          .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .strip();
      if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0
          && Files.isExecutable(Path.of(out, "initdb"))) {
        return Optional.of(Path.of(out));
      }
    } catch (IOException e) {
      // No pg_config on the PATH: look where Debian and Ubuntu install servers.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    Path versions = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(versions)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(versions)) {
      return children.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparingInt(PrivatePostgres::majorVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString().split("\\.")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static void unavailable(String why) {
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(why + " (CI=true: not skipped)");
    }
    Assumptions.abort(why);
  }

  private static void deleteTree(@Nullable Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
