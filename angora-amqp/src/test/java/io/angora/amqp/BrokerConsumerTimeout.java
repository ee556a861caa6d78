package io.angora.amqp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Lowers the local broker's {@code consumer_timeout} (and the channel tick that checks it) at
 * run time through {@code rabbitmqctl eval}, for a test of what happens past it on a broker that
 * ignores the per-consumer timeout (before 3.12). {@link #close()} restores the values read
 * before, so call it in a finally block (try-with-resources). The test is skipped when
 * {@code rabbitmqctl} cannot reach the broker, and fails instead under {@code CI=true}.
 */
public final class BrokerConsumerTimeout implements AutoCloseable {
  private static final Duration RABBITMQCTL_WAIT = Duration.ofSeconds(60);
  private final FileChannel lock;
  private final String oldTimeout;
  private final String oldTick;

  private BrokerConsumerTimeout(FileChannel lock, String oldTimeout, String oldTick) {
    this.lock = lock;
    this.oldTimeout = oldTimeout;
    this.oldTick = oldTick;
  }

  /**
   * Holds a machine-wide lock while the broker's values are lowered: two test runs lowering at
   * once would each read the other's lowered value and one would "restore" it for good.
   */
  private static FileChannel lockMachineWide() {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "angora-it-consumer-timeout.lock");
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      channel.lock(); // released when the channel closes
      return channel;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  /**
   * Lowers the broker's consumer timeout.
   *
   * @param timeout the new timeout
   * @return restores the old values on close
   */
  public static BrokerConsumerTimeout lower(Duration timeout) {
    FileChannel lock = lockMachineWide();
    String timeoutNow;
    String tickNow;
    try {
      timeoutNow = read("consumer_timeout");
      tickNow = read("channel_tick_interval");
    } catch (RuntimeException | AssertionError e) {
      closeQuietly(lock);
      throw e;
    }
    BrokerConsumerTimeout restore = new BrokerConsumerTimeout(lock, timeoutNow, tickNow);
    try {
      set("consumer_timeout", Long.toString(timeout.toMillis()));
      // The broker checks the timeout on each channel tick (60 s by default).
      set("channel_tick_interval", Long.toString(Math.max(500, timeout.toMillis() / 5)));
    } catch (RuntimeException | AssertionError e) {
      restore.close();
      throw e;
    }
    return restore;
  }

  /** Restores the values read before lowering. */
  @Override
  public void close() {
    try {
      restore("consumer_timeout", oldTimeout);
      restore("channel_tick_interval", oldTick);
    } finally {
      closeQuietly(lock);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // the lock goes with the process
    }
  }

  private static void restore(String key, String old) {
    if (old.equals("undefined")) {
      eval("application:unset_env(rabbit, " + key + ").");
    } else {
      set(key, old);
    }
  }

  /** The value of a rabbit application setting as Erlang prints it, or "undefined". */
  private static String read(String key) {
    String out = eval("application:get_env(rabbit, " + key + ").").strip();
    if (out.equals("undefined")) {
      return out;
    }
    if (!out.matches("\\{ok,\\d+\\}")) {
      throw new IllegalStateException("unexpected " + key + " from rabbitmqctl: " + out);
    }
    return out.substring(4, out.length() - 1);
  }

  private static void set(String key, String millis) {
    if (!millis.matches("\\d+")) {
      throw new IllegalArgumentException(key + " must be a number of milliseconds: " + millis);
    }
    String out = eval("application:set_env(rabbit, " + key + ", " + millis + ").").strip();
    if (!out.equals("ok")) {
      throw new IllegalStateException("rabbitmqctl could not set " + key + ": " + out);
    }
  }

  private static String eval(String expression) {
    String out;
    int exit;
    try {
      Process p = new ProcessBuilder("rabbitmqctl", "eval", expression).redirectErrorStream(true)
          .start();
      out = new String(p.getInputStream().readAllBytes(), UTF_8);
      if (!p.waitFor(RABBITMQCTL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("rabbitmqctl eval did not finish in " + RABBITMQCTL_WAIT);
      }
      exit = p.exitValue();
    } catch (IOException e) {
      out = e.toString();
      exit = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running rabbitmqctl", e);
    }
    if (exit != 0) {
      String why = "rabbitmqctl eval cannot reach the local broker (exit " + exit + "): "
          + out.strip() + "; the consumer-timeout tests need it";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    return out;
  }
}
