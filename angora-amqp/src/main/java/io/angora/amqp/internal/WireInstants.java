package io.angora.amqp.internal;

import java.time.Instant;

/**
 * The range of instants a delivery may carry: years 2000 to 9999 UTC. Anything outside is a
 * forged or broken message, and would overflow a database column; it is refused at the wire so
 * it never reaches the coordinator or the store. Stateless.
 */
public final class WireInstants {
  /** The earliest instant accepted. */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  /** The latest instant accepted. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private WireInstants() {}

  /**
   * Checks an instant read from a delivery.
   *
   * @param instant the instant
   * @param where the header or field it came from, for the error
   * @return the instant
   * @throws MalformedDeliveryException when it lies outside {@link #EARLIEST} to {@link #LATEST}
   */
  public static Instant check(Instant instant, String where) {
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new MalformedDeliveryException(where + " is " + instant + ", outside the years "
          + "2000 to 9999 a delivery may carry");
    }
    return instant;
  }
}
