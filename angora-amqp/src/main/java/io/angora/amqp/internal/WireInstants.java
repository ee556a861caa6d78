package io.angora.amqp.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The range of instants a delivery may carry: years 2000 to 9999 UTC. Anything outside is a
 * forged or broken message, and would overflow a database column; it is refused at the wire so
 * it never reaches the coordinator or the store.
 *
 * <p>Also the wire's text form of an instant, {@link Instant#toString()}'s: {@link #format} and
 * {@link #parse} give exactly what {@code toString} and {@link Instant#parse} give, with a fast
 * path for the one shape the wire carries ({@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, a four-digit
 * year); the JDK's formatter, general and slow, takes anything else. Stateless.
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

  /**
   * {@link Instant#toString()}, for years 0 to 9999 without the JDK's formatter.
   *
   * @param instant the instant
   * @return its ISO-8601 text, seconds always written and the fraction in groups of three digits
   */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < -62_167_219_200L || seconds > 253_402_300_799L) { // outside years 0 to 9999
      return instant.toString();
    }
    long days = Math.floorDiv(seconds, 86_400);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(days);
    int nano = instant.getNano();
    char[] out = new char[nano == 0 ? 20 : nano % 1_000_000 == 0 ? 24 : nano % 1000 == 0 ? 27 : 30];
    digits(out, 0, date.getYear(), 4);
    out[4] = '-';
    digits(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    digits(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    digits(out, 17, secondOfDay % 60, 2);
    if (nano != 0) {
      out[19] = '.';
      int width = out.length - 21;
      digits(out, 20, nano / (width == 3 ? 1_000_000 : width == 6 ? 1000 : 1), width);
    }
    out[out.length - 1] = 'Z';
    return new String(out);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * {@link Instant#parse}, with a fast path for {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}.
   *
   * @param text ISO-8601 text
   * @return the instant
   * @throws DateTimeParseException as {@link Instant#parse} does
   */
  public static Instant parse(CharSequence text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-'
        || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
        || text.charAt(16) != ':' || (n > 20 && (text.charAt(19) != '.' || n == 21))) {
      return Instant.parse(text);
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    int nano = 0;
    if (n > 20) {
      int width = n - 21;
      nano = number(text, 20, width);
      for (int i = width; i < 9; i++) {
        nano *= 10;
      }
    }
    // A leap second (60), an hour of 24, a day the month lacks: the JDK's rules decide.
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)
        || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59 || nano < 0) {
      return Instant.parse(text);
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600 + minute * 60 + second, nano);
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> java.time.Year.isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** The decimal number of {@code width} ASCII digits at {@code at}, or -1. */
  private static int number(CharSequence text, int at, int width) {
    int value = 0;
    for (int i = at; i < at + width; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
