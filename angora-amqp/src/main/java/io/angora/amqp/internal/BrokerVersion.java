package io.angora.amqp.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RabbitMQ server version, as announced in the connection's server properties.
 *
 * @param text the version as announced, e.g. {@code 3.10.8}
 * @param major the first number, or 0 when unknown
 * @param minor the second number
 * @param patch the third number
 */
public record BrokerVersion(String text, int major, int minor, int patch) {
  private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /**
   * Parses a version.
   *
   * @param text the announced version; anything unparsable gives 0.0.0
   * @return the version
   */
  public static BrokerVersion parse(String text) {
    Matcher m = NUMBERS.matcher(text);
    if (!m.find()) {
      return new BrokerVersion(text, 0, 0, 0);
    }
    return new BrokerVersion(text, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  /**
   * Whether the broker honours the {@code x-consumer-timeout} consumer argument (RabbitMQ
   * 3.11.15 and 3.12 onwards); older brokers ignore it.
   */
  public boolean honoursConsumerTimeoutArgument() {
    return major > 3 || (major == 3 && (minor > 11 || (minor == 11 && patch >= 15)));
  }
}
