package io.angora.cli;

import io.angora.amqp.AmqpTransport;
import io.angora.amqp.AmqpTransportBuilder;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;

/**
 * The broker options shared by the distributed commands: {@code --amqp URI} (else the
 * {@code ANGORA_AMQP_URI} environment variable), {@code --queue-prefix P}, and the shared key
 * that signs the traffic between coordinator and workers: {@code --secret-file FILE} (else
 * {@code ANGORA_SECRET_FILE}), or {@code --insecure} to run without one.
 */
final class AmqpOptions {
  /** Options that take a value. */
  static final Set<String> VALUED = Set.of("amqp", "queue-prefix", "secret-file",
      "amqp-password-file");
  /** Options without a value. */
  static final Set<String> FLAGS = Set.of("insecure");

  private AmqpOptions() {}

  /** The broker URI if one was given. */
  static Optional<String> uri(Args args) {
    return args.get("amqp").or(() -> Optional.ofNullable(System.getenv("ANGORA_AMQP_URI"))
        .filter(s -> !s.isBlank()));
  }

  /**
   * Connects to the broker the options name.
   *
   * @param args the parsed options
   * @param role who connects, in the connection's name the broker shows
   * @return the transport
   * @throws Args.UsageException when no broker is given
   */
  static AmqpTransport connect(Args args, String role) {
    String given = uri(args).orElseThrow(() -> new Args.UsageException(
        "'" + role + "' needs --amqp URI (or ANGORA_AMQP_URI), e.g. amqp://guest:guest@localhost:5672"));
    String uri = Secrets.amqpUri(given, args, args.get("amqp").isPresent(), System.err);
    AmqpTransportBuilder builder = AmqpTransport.builder().uri(uri)
        .queuePrefix(args.get("queue-prefix").orElse(null))
        .connectionName("angora-" + role + "@" + host());
    return key(args, role, builder).build();
  }

  /**
   * Gives the builder the shared key, or lets it run unsigned when that is asked for (or, for
   * {@code send}, which only publishes plain messages, when there is no key).
   */
  private static AmqpTransportBuilder key(Args args, String role, AmqpTransportBuilder builder) {
    Optional<String> file = args.get("secret-file").or(() -> Optional.ofNullable(
        System.getenv("ANGORA_SECRET_FILE")).filter(s -> !s.isBlank()));
    if (file.isPresent()) {
      try {
        return builder.secretFile(Path.of(file.get()));
      } catch (IllegalArgumentException e) {
        throw new Args.UsageException(e.getMessage());
      }
    }
    if (args.flag("insecure") || role.equals("send")) {
      return builder.insecure();
    }
    throw new Args.UsageException("'" + role + "' refuses to start without a shared key: "
        + "without one, anyone who can publish to the broker can run any command on every "
        + "worker. Make a key and give the same file to the coordinator and every worker: "
        + "head -c 32 /dev/urandom > angora.key; chmod 600 angora.key; then pass "
        + "--secret-file angora.key (or set ANGORA_SECRET_FILE). --insecure runs without one, "
        + "for a broker nobody else can reach.");
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
