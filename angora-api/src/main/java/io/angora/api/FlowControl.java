package io.angora.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the coordinator paces the runs of a task, installation-wide: a run over a limit waits
 * {@link RunStatus#QUEUED} (its job not handed to the workers) until a slot frees or the rate
 * allows, or is recorded {@link RunStatus#SKIPPED} when {@link #overflow()} says so. Waiting
 * runs start higher {@link #priority()} first, oldest first among equals.
 *
 * @param concurrency at most this many runs of the task at once, {@link #NO_LIMIT} for none
 * @param group a limit shared with other tasks, or null
 * @param overflow what happens to a run over a concurrency limit
 * @param rate at most so many starts of the task per period, or null
 * @param priority 0 (the default) to 9; among waiting runs, higher first
 */
public record FlowControl(int concurrency, @Nullable Group group, Overflow overflow,
    @Nullable Rate rate, int priority) {

  /** The {@link #concurrency} meaning: no limit of its own. */
  public static final int NO_LIMIT = 0;

  /** The highest {@link #priority}. */
  public static final int MAX_PRIORITY = 9;

  /** No limit, no rate, priority 0: what a task without flow keys gets. */
  public static final FlowControl NONE = new FlowControl(NO_LIMIT, null, Overflow.QUEUE, null, 0);

  /** Checks the fields. */
  public FlowControl {
    if (concurrency < 0) {
      throw new IllegalArgumentException("concurrency must be 1 or more (0: no limit), was "
          + concurrency);
    }
    Objects.requireNonNull(overflow, "overflow");
    if (priority < 0 || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority must be 0 to 9, was " + priority);
    }
  }

  /** Whether any limit holds runs of the task back (concurrency, group or rate). */
  public boolean limited() {
    return concurrency != NO_LIMIT || group != null || rate != null;
  }

  /** What happens to a run that would go over a concurrency limit. */
  public enum Overflow {
    /** It waits, QUEUED, until a slot frees (the default). */
    QUEUE,
    /** It is recorded SKIPPED with the reason, and not run. */
    SKIP;

    /**
     * The value as written in a task file.
     *
     * @return {@code queue} or {@code skip}
     */
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A concurrency limit shared by every task naming the group ({@code concurrency_group}). Every
   * task of a group carries the same limit; the coordinator refuses a set of tasks that
   * disagrees.
   *
   * @param name the group's name
   * @param limit at most this many runs of the group's tasks at once, 1 or more
   */
  public record Group(String name, int limit) {
    /** Checks the fields. */
    public Group {
      Objects.requireNonNull(name, "name");
      MessageText.taskNameProblem(name).ifPresent(problem -> {
        throw new IllegalArgumentException("concurrency group name '" + name + "' " + problem);
      });
      if (limit < 1) {
        throw new IllegalArgumentException("concurrency group '" + name
            + "': limit must be 1 or more, was " + limit);
      }
    }
  }

  /**
   * At most {@link #count} starts per {@link #period}, across the installation.
   *
   * @param count starts allowed in one period, 1 or more
   * @param period the period: a second, a minute, an hour or a day
   */
  public record Rate(int count, Duration period) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,6})\\s*/\\s*(s|min|h|d)");

    /** Checks the fields. */
    public Rate {
      if (count < 1) {
        throw new IllegalArgumentException("rate must allow 1 or more starts, was " + count);
      }
      Objects.requireNonNull(period, "period");
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("rate period must be positive, was " + period);
      }
    }

    /**
     * Reads a rate as written in a task file.
     *
     * @param text {@code N/s}, {@code N/min}, {@code N/h} or {@code N/d}, e.g. {@code 10/min}
     * @return the rate
     * @throws IllegalArgumentException naming the expected form
     */
    public static Rate parse(String text) {
      Matcher m = FORM.matcher(text.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("expected a rate such as 2/s, 10/min, 5/h or 100/d");
      }
      Duration period = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(1);
        case "min" -> Duration.ofMinutes(1);
        case "h" -> Duration.ofHours(1);
        default -> Duration.ofDays(1);
      };
      return new Rate(Integer.parseInt(m.group(1)), period);
    }

    /**
     * The rate as written in a task file, e.g. {@code 10/min}; a period of another length is
     * written in seconds ({@code 3/90s}), which {@link #parse} does not read.
     */
    @Override
    public String toString() {
      long seconds = period.getSeconds();
      String unit = period.getNano() != 0 ? period.toMillis() + "ms"
          : seconds == 1 ? "s" : seconds == 60 ? "min" : seconds == 3600 ? "h"
          : seconds == 86_400 ? "d" : seconds + "s";
      return count + "/" + unit;
    }
  }
}
