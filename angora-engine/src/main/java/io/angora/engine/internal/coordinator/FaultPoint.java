package io.angora.engine.internal.coordinator;

import java.io.PrintStream;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Points in the coordinator's flow where a crash test stops the process. The system property
 * {@code angora.fault} names one point; when the coordinator reaches it, it prints
 * {@code ANGORA-FAULT <point>} on standard output and blocks that thread for good, so that the
 * test kills the process from outside (SIGKILL) at exactly that step. Unset (always, outside
 * those tests), reaching a point costs one comparison with null. Thread-safe.
 */
public enum FaultPoint {
  /** A message's runs are recorded (and durable) but their jobs are not yet published. */
  AFTER_RECORD_BEFORE_PUBLISH,
  /** A message's runs are durable and their jobs confirmed, but the message is not acked. */
  AFTER_PUBLISH_BEFORE_ACK,
  /** An outcome is written to the store but not yet flushed, acked or followed up. */
  WHILE_RECORDING_OUTCOME,
  /** An outcome is durable and its first follow-up message confirmed; the others are not sent. */
  WITH_FOLLOW_UPS_PENDING;

  /** The line printed when the point is reached, followed by the point's name. */
  public static final String MARKER = "ANGORA-FAULT ";
  /** The system property naming the point to stop at. */
  public static final String PROPERTY = "angora.fault";

  private static final @Nullable FaultPoint ARMED = armed(System.getProperty(PROPERTY));

  /** The point's name as given in the property, e.g. {@code after-record-before-publish}. */
  public String propertyValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether this point is the one armed in this process. */
  public boolean armed() {
    return ARMED == this;
  }

  /** Stops here for good when this point is armed; returns at once otherwise. */
  public void reach() {
    if (ARMED != this) {
      return;
    }
    PrintStream out = System.out;
    out.println(MARKER + propertyValue());
    out.flush();
    while (true) {
      try {
        Thread.sleep(60_000); // hold until the test kills the process
      } catch (InterruptedException e) {
        // keep holding: the point must not be passed
      }
    }
  }

  private static @Nullable FaultPoint armed(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    for (FaultPoint point : values()) {
      if (point.propertyValue().equals(value)) {
        return point;
      }
    }
    throw new IllegalArgumentException("system property " + PROPERTY + ": unknown fault point '"
        + value + "'; known: after-record-before-publish, after-publish-before-ack, "
        + "while-recording-outcome, with-follow-ups-pending");
  }
}
