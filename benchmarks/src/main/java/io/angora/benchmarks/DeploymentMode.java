package io.angora.benchmarks;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** How Angora is deployed for a throughput round. */
enum DeploymentMode {
  /** Coordinator and worker in the harness JVM, in-memory transport and run store. */
  EMBEDDED("embedded"),
  /** As {@link #EMBEDDED}, with runs recorded by the JDBC store in a SQLite file. */
  SQLITE("embedded+sqlite"),
  /** Coordinator in the harness JVM, worker in a second JVM, over the local RabbitMQ. */
  AMQP("amqp");

  private final String label;

  DeploymentMode(String label) {
    this.label = label;
  }

  /** The name printed in the results. */
  String label() {
    return label;
  }

  /**
   * Reads a {@code --mode} value.
   *
   * @param value {@code embedded}, {@code sqlite}, {@code amqp} or {@code all}
   * @return the modes it names
   * @throws IllegalArgumentException for any other value
   */
  static Set<DeploymentMode> parse(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "all" -> EnumSet.allOf(DeploymentMode.class);
      case "embedded" -> EnumSet.of(EMBEDDED);
      case "sqlite", "embedded+sqlite" -> EnumSet.of(SQLITE);
      case "amqp" -> EnumSet.of(AMQP);
      default -> throw new IllegalArgumentException("unknown mode '" + value
          + "': embedded, sqlite, amqp or all");
    };
  }
}
