package io.angora.amqp;

import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.angora.amqp.internal.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The RabbitMQ the integration tests use: {@code ANGORA_AMQP_URI}, else 127.0.0.1:5672. Without
 * one, tests are skipped with a message, except under {@code CI=true}, where they fail.
 */
public final class AmqpTestBroker {
  private static Path keyFile;

  private AmqpTestBroker() {}

  /**
   * The shared key file the tests' transports sign with: 32 random bytes in a temporary file of
   * mode 0600, made once per test JVM (child processes get its path), deleted at exit.
   */
  public static synchronized Path keyFile() {
    String inherited = System.getProperty("angora.test.keyFile");
    if (inherited != null) {
      return Path.of(inherited);
    }
    if (keyFile == null) {
      try {
        Path file = Files.createTempFile("angora-test", ".key",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.write(file, key);
        file.toFile().deleteOnExit();
        keyFile = file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a test key file", e);
      }
    }
    return keyFile;
  }

  /** A builder for the test broker with the tests' shared key. */
  public static AmqpTransportBuilder builder() {
    return AmqpTransport.builder().uri(uri()).secretFile(keyFile());
  }

  public static String uri() {
    String env = System.getenv("ANGORA_AMQP_URI");
    return env == null || env.isBlank() ? "amqp://guest:guest@127.0.0.1:5672" : env;
  }

  /** The same broker's URI with another host and port (e.g. a proxy in front of it). */
  public static String uriVia(int port) {
    URI u = URI.create(uri());
    return u.getScheme() + "://" + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@")
        + "127.0.0.1:" + port + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  public static String host() {
    return URI.create(uri()).getHost();
  }

  public static int port() {
    int p = URI.create(uri()).getPort();
    return p < 0 ? 5672 : p;
  }

  /** Skips the calling test (or fails it under CI=true) when no broker answers. */
  public static void assumeAvailable() {
    try (Connection c = rawFactory().newConnection("angora-it-probe")) {
      c.getServerProperties();
    } catch (Exception e) {
      String why = "no RabbitMQ at " + uri() + " (" + e + "); set ANGORA_AMQP_URI to run the "
          + "AMQP integration tests";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  public static ConnectionFactory rawFactory() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri());
    f.setConnectionTimeout(3000);
    f.setAutomaticRecoveryEnabled(false);
    return f;
  }

  /** A queue prefix no other test run uses. */
  public static String uniquePrefix(String what) {
    return "angora-it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A transport on the test broker.
   *
   * @param prefix the queue prefix
   * @param name the connection's name suffix
   * @return the connected transport
   */
  public static AmqpTransport transport(String prefix, String name) {
    return builder().queuePrefix(prefix)
        .connectionName(prefix + "-" + name).recoveryInterval(Duration.ofMillis(500))
        .heartbeat(Duration.ofSeconds(2)).build();
  }

  /** Deletes the queues and exchanges of a prefix. */
  public static void deleteQueues(String prefix) {
    deleteTopology(prefix);
  }

  /** Deletes the queues and exchanges of a prefix. */
  public static void deleteTopology(String prefix) {
    Topology t = Topology.named(prefix);
    try (Connection c = rawFactory().newConnection("angora-it-cleanup")) {
      for (String q : List.of(t.initialize(), t.start(), t.replay(), t.results(), t.dead())) {
        Channel ch = c.createChannel();
        ch.queueDelete(q);
        ch.close();
      }
      for (String x : List.of(t.dead(), t.cancel(), t.claims())) {
        Channel ch = c.createChannel();
        ch.exchangeDelete(x);
        ch.close();
      }
    } catch (Exception e) {
      throw new AssertionError("cannot delete the test queues of prefix " + prefix, e);
    }
  }
}
