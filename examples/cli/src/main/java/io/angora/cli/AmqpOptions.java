package io.angora.cli;

import io.angora.amqp.AmqpTransport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;

/**
 * The broker options shared by the distributed commands: {@code --amqp URI} (else the
 * {@code ANGORA_AMQP_URI} environment variable) and {@code --queue-prefix P}.
 */
final class AmqpOptions {
  /** Options that take a value. */
  static final Set<String> VALUED = Set.of("amqp", "queue-prefix", "amqp-password-file");

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
    return AmqpTransport.builder().uri(uri).queuePrefix(args.get("queue-prefix").orElse(null))
        .connectionName("angora-" + role + "@" + host()).build();
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
