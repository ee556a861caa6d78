package io.angora.engine.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A message sent on a clock: on each fire time of its timing, the coordinator sends the
 * message, its placeholders replaced by the fire time (see {@link #messageAt}).
 *
 * @param name unique among the schedules: letters, digits, {@code _ . -}, at most 100
 *     characters; keys the schedule's recorded state (last fire time, paused)
 * @param timing when it fires
 * @param zone the zone of the cron expression's wall clock and of the placeholders
 * @param message the message template, e.g. {@code time.{HHmm}}
 * @param payload the payload of every message sent, or null
 * @param misfire what to do about fire times missed while no coordinator ran
 * @param paused whether the schedule file pauses it (it cannot then be resumed at run time)
 * @param origin where it was defined, e.g. {@code tasks/schedules.yml:3}, or null
 */
public record Schedule(
    String name,
    Timing timing,
    ZoneId zone,
    String message,
    @Nullable String payload,
    Misfire misfire,
    boolean paused,
    @Nullable String origin) {

  /** The zone of a schedule that names none: UTC, the same on every machine. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

  /** Between the id and the schedule's name in the id of a message a schedule sends. */
  private static final String SENT_BY = "-";
  /** The length of the engine's ids: 14 hex digits, a dash, 6 hex digits. */
  private static final int ID_LENGTH = 21;

  /**
   * The id of a message a schedule sends: a new engine id, a dash, the schedule's name.
   *
   * @param id a new id from the engine
   * @param schedule the schedule's name
   * @return the message id
   */
  public static String messageId(String id, String schedule) {
    return id + SENT_BY + schedule;
  }

  /**
   * The schedule that sent a message, read from the message's id ({@link #messageId}). Only a
   * hint for display: anyone who can publish a message can choose its id.
   *
   * @param messageId the message's id
   * @return the schedule's name, or empty when the id is not one a schedule makes
   */
  public static Optional<String> sentBy(String messageId) {
    return messageId.length() > ID_LENGTH + SENT_BY.length()
        && messageId.startsWith(SENT_BY, ID_LENGTH)
        ? Optional.of(messageId.substring(ID_LENGTH + SENT_BY.length())) : Optional.empty();
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  /**
   * Validates the name and the message template.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public Schedule {
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(misfire, "misfire");
    nameProblem(name).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    try {
      MessageTemplate.parse(message);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schedule '" + name + "': message '" + message + "' "
          + e.getMessage(), e);
    }
  }

  /**
   * Starts describing a schedule: zone UTC, no payload, misfire {@link Misfire#SKIP}, active.
   *
   * @param name the schedule's name
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Tells what is wrong with a schedule name, if anything.
   *
   * @param name the name
   * @return the problem, or empty when the name is valid
   */
  public static Optional<String> nameProblem(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.of("schedule name '" + name + "' must be 1 to 100 letters, digits, '_', "
          + "'.' or '-' (it appears in URLs and message ids)");
    }
    return Optional.empty();
  }

  /**
   * The first fire time strictly after an instant.
   *
   * @param after the instant
   * @return the fire time, or empty when the timing has no more
   */
  public Optional<Instant> nextAfter(Instant after) {
    return timing.next(after, zone);
  }

  /**
   * The messages of the fire times after an instant, each with the first of those fire times
   * that sends it: what the schedule sends soon, for checks and explanations. A template with
   * placeholders ({@code time.{HHmm}}) sends several.
   *
   * @param after the instant
   * @param fireTimes how many fire times to look at, at most
   * @return message text to its first fire time after {@code after}, in fire-time order
   */
  public Map<String, Instant> upcomingMessages(Instant after, int fireTimes) {
    Map<String, Instant> messages = new LinkedHashMap<>();
    Optional<Instant> at = nextAfter(after);
    for (int i = 0; i < fireTimes && at.isPresent(); i++) {
      messages.putIfAbsent(messageAt(at.get()), at.get());
      at = nextAfter(at.get());
    }
    return messages;
  }

  /**
   * The message sent for a fire time: the template with its placeholders replaced by the fire
   * time in the schedule's zone.
   *
   * @param fireTime the fire time
   * @return the message text
   */
  public String messageAt(Instant fireTime) {
    return MessageTemplate.parse(message).expand(fireTime.atZone(zone));
  }

  /** Describes a {@link Schedule}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private @Nullable Timing timing;
    private ZoneId zone = DEFAULT_ZONE;
    private String message = "";
    private @Nullable String payload;
    private Misfire misfire = Misfire.SKIP;
    private boolean paused;
    private @Nullable String origin;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Fires on a cron expression, see {@link Timing#cron}.
     *
     * @param expression the expression
     * @return this builder
     * @throws IllegalArgumentException when the expression is invalid
     */
    public Builder cron(String expression) {
      this.timing = Timing.cron(expression);
      return this;
    }

    /**
     * Fires at a fixed interval, see {@link Timing#every}.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder every(java.time.Duration interval) {
      this.timing = Timing.every(interval);
      return this;
    }

    /**
     * Sets the zone of the wall clock and the placeholders (default UTC).
     *
     * @param value the zone
     * @return this builder
     */
    public Builder zone(ZoneId value) {
      this.zone = value;
      return this;
    }

    /**
     * Sets the message template.
     *
     * @param template e.g. {@code time.{HHmm}}
     * @return this builder
     */
    public Builder message(String template) {
      this.message = template;
      return this;
    }

    /**
     * Sets the payload of the messages sent.
     *
     * @param value the payload
     * @return this builder
     */
    public Builder payload(@Nullable String value) {
      this.payload = value;
      return this;
    }

    /**
     * Sets the misfire policy (default {@link Misfire#SKIP}).
     *
     * @param value the policy
     * @return this builder
     */
    public Builder misfire(Misfire value) {
      this.misfire = value;
      return this;
    }

    /**
     * Sets whether the schedule is paused by its definition.
     *
     * @param value true to pause
     * @return this builder
     */
    public Builder paused(boolean value) {
      this.paused = value;
      return this;
    }

    /**
     * Sets where the schedule was defined.
     *
     * @param where e.g. {@code file:line}
     * @return this builder
     */
    public Builder origin(@Nullable String where) {
      this.origin = where;
      return this;
    }

    /**
     * Builds the schedule.
     *
     * @return the schedule
     * @throws IllegalArgumentException when no timing was given or a value is invalid
     */
    public Schedule build() {
      if (timing == null) {
        throw new IllegalArgumentException("schedule '" + name + "' needs cron or every");
      }
      return new Schedule(name, timing, zone, message, payload, misfire, paused, origin);
    }
  }
}
