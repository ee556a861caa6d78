package io.angora.engine.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A crontab expression on the wall clock of a zone. cron-utils parses the expression and finds
 * the next matching wall-clock time; this class maps wall-clock times to instants itself,
 * because cron-utils drops a time that a spring-forward jump skips. The rules are Vixie
 * cron's: a wall-clock time skipped by a jump fires at the moment of the jump (02:30 fires at
 * 03:00, once even if 02:00 and 02:15 match too); a wall-clock time that a fall-back repeats
 * fires once, in the first pass, unless the hour field starts with {@code *}: such a schedule
 * follows the clock through both passes. Immutable.
 */
final class CronTiming implements Timing {
  private static final Map<String, String> NICKNAMES = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  private static final LocalDateTime PROBE = LocalDateTime.of(2000, 1, 1, 0, 0);

  private final String expression;
  private final ExecutionTime times;
  private final boolean hourWildcard;

  private CronTiming(String expression, ExecutionTime times, boolean hourWildcard) {
    this.expression = expression;
    this.times = times;
    this.hourWildcard = hourWildcard;
  }

  static CronTiming parse(String expression) {
    String written = expression.strip();
    String fields = written.startsWith("@")
        ? NICKNAMES.get(written.toLowerCase(Locale.ROOT)) : written;
    if (fields == null) {
      throw new IllegalArgumentException("unknown cron shorthand '" + written + "'; known: "
          + "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly");
    }
    String[] parts = fields.split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("cron expression '" + written + "' has " + parts.length
          + " fields; expected 5: minute hour day-of-month month day-of-week");
    }
    Cron cron;
    try {
      cron = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX))
          .parse(fields);
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron expression '" + written + "': "
          + e.getMessage(), e);
    }
    ExecutionTime times = ExecutionTime.forCron(cron);
    if (times.nextExecution(PROBE.atZone(ZoneOffset.UTC)).isEmpty()) {
      throw new IllegalArgumentException("cron expression '" + written
          + "' never matches a date");
    }
    return new CronTiming(written, times, parts[1].startsWith("*"));
  }

  @Override
  public Optional<Instant> next(Instant after, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    Optional<Instant> first = nextFirstPass(after, rules);
    if (!hourWildcard) {
      return first;
    }
    // A schedule that runs every hour also runs in the second pass of a repeated hour.
    ZoneOffsetTransition[] near = {rules.previousTransition(after.plusNanos(1)),
        rules.nextTransition(after)};
    for (ZoneOffsetTransition transition : near) {
      if (transition != null && transition.isOverlap()
          && (first.isEmpty() || transition.getInstant().isBefore(first.get()))) {
        Optional<Instant> second = nextSecondPass(after, transition);
        if (second.isPresent() && (first.isEmpty() || second.get().isBefore(first.get()))) {
          first = second;
        }
      }
    }
    return first;
  }

  /**
   * The next fire time when every wall-clock time stands for its first instant: the earlier
   * offset in a repeated hour, the moment of the jump in a skipped one. That mapping never goes
   * back in time, so the first matching wall-clock time whose instant is after wins.
   */
  private Optional<Instant> nextFirstPass(Instant after, ZoneRules rules) {
    ZoneOffset offset = rules.getOffset(after);
    LocalDateTime cursor = after.atOffset(offset).toLocalDateTime();
    ZoneOffsetTransition overlap = rules.getTransition(cursor);
    if (overlap != null && overlap.isOverlap() && offset.equals(overlap.getOffsetAfter())) {
      // In the second pass of a repeated hour, its wall-clock times fired in the first pass.
      cursor = overlap.getDateTimeBefore().minusNanos(1);
    }
    for (int i = 0; i < 1_000; i++) {
      Optional<LocalDateTime> local = nextLocal(cursor);
      if (local.isEmpty()) {
        return Optional.empty();
      }
      Instant at = firstInstant(local.get(), rules);
      if (at.isAfter(after)) {
        return Optional.of(at);
      }
      cursor = local.get();
    }
    return Optional.empty();
  }

  /** The next fire time in the second pass of a repeated hour, if there is one. */
  private Optional<Instant> nextSecondPass(Instant after, ZoneOffsetTransition overlap) {
    LocalDateTime cursor = after.isBefore(overlap.getInstant())
        ? overlap.getDateTimeAfter().minusNanos(1)
        : after.atOffset(overlap.getOffsetAfter()).toLocalDateTime();
    return nextLocal(cursor)
        .filter(local -> local.isBefore(overlap.getDateTimeBefore()))
        .map(local -> local.toInstant(overlap.getOffsetAfter()))
        .filter(at -> at.isAfter(after));
  }

  private static Instant firstInstant(LocalDateTime local, ZoneRules rules) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    return offsets.isEmpty() ? rules.getTransition(local).getInstant()
        : local.toInstant(offsets.get(0));
  }

  private Optional<LocalDateTime> nextLocal(LocalDateTime after) {
    // cron-utils on UTC is plain wall-clock arithmetic: no offset changes to trip on.
    return times.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
  }

  @Override
  public String describe() {
    return "cron \"" + expression + "\"";
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof CronTiming cron && cron.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
