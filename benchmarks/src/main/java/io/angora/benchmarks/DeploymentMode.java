package io.angora.benchmarks;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** How Angora is deployed for a throughput round, or the Celery worker it is compared with. */
enum DeploymentMode {
  /** Coordinator and worker in the harness JVM, in-memory transport and run store. */
  EMBEDDED("embedded"),
  /** As {@link #EMBEDDED}, with runs recorded by the JDBC store in a SQLite file. */
  SQLITE("embedded+sqlite"),
  /**
   * Coordinator in the harness JVM with the SQLite run store, worker in a second JVM, over the
   * local RabbitMQ.
   */
  AMQP("amqp+sqlite"),
  /** Not Angora: a Celery 5 worker on the same broker and concurrency (see CeleryWorker). */
  CELERY("celery");

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
   * @param value {@code embedded}, {@code sqlite}, {@code amqp}, {@code celery} or {@code all}
   * @return the modes it names
   * @throws IllegalArgumentException for any other value
   */
  static Set<DeploymentMode> parse(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "all" -> EnumSet.allOf(DeploymentMode.class);
      case "embedded" -> EnumSet.of(EMBEDDED);
      case "sqlite", "embedded+sqlite" -> EnumSet.of(SQLITE);
      case "amqp", "amqp+sqlite" -> EnumSet.of(AMQP);
      case "celery" -> EnumSet.of(CELERY);
      default -> throw new IllegalArgumentException("unknown mode '" + value
          + "': embedded, sqlite, amqp, celery or all");
    };
  }
}
