package io.angora.engine.schedule;

import java.util.Locale;
import java.util.Optional;

/**
 * What a schedule does about fire times that passed while no coordinator was running (or
 * was too busy to fire them within the grace period).
 */
public enum Misfire {
  /** Fire nothing for missed times; carry on at the next future fire time. The default. */
  SKIP,
  /** Fire once for all missed times (with the latest missed fire time), then carry on. */
  FIRE_ONCE;

  /**
   * The name used in schedule files: {@code skip} or {@code fire_once}.
   *
   * @return the lower-case name
   */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Looks a policy up by its name in schedule files.
   *
   * @param name {@code skip} or {@code fire_once}
   * @return the policy, or empty for any other name
   */
  public static Optional<Misfire> ofFileName(String name) {
    for (Misfire value : values()) {
      if (value.fileName().equals(name)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
