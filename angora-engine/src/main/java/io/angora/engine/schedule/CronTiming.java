package io.angora.engine.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
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
 * because cron-utils drops a time that a spring-forward jump skips. The rules, as Vixie cron:
 * a wall-clock time skipped by a jump fires once, shifted by the length of the jump (02:30
 * becomes 03:30); a wall-clock time that a fall-back repeats fires once, at its first
 * occurrence, unless the hour field starts with {@code *}, in which case the schedule follows
 * the clock through both occurrences. Immutable.
 */
final class CronTiming implements Timing {
  private static final Map<String, String> NICKNAMES = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  /** Longer than any offset change a zone has made in practice (they are at most 2 h). */
  private static final Duration MARGIN = Duration.ofHours(3);
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
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    Optional<LocalDateTime> candidate = nextLocal(local);
    if (candidate.isEmpty()) {
      return Optional.empty();
    }
    ZoneOffsetTransition previous = rules.previousTransition(after);
    ZoneOffsetTransition coming = rules.nextTransition(after);
    Instant simple = earliest(candidate.get(), rules);
    boolean quiet = (previous == null || !after.isBefore(previous.getInstant().plus(MARGIN)))
        && (coming == null || coming.getInstant().isAfter(simple));
    // Away from offset changes one offset applies throughout: the next wall-clock time is it.
    return quiet ? Optional.of(simple) : Optional.ofNullable(nearTransition(after, local, rules));
  }

  /** Scans wall-clock times around an offset change for the earliest fire time after one. */
  private @Nullable Instant nearTransition(Instant after, LocalDateTime local, ZoneRules rules) {
    Instant best = null;
    LocalDateTime bestLocal = null;
    LocalDateTime cursor = local.minus(MARGIN);
    for (int i = 0; i < 100_000; i++) {
      Optional<LocalDateTime> found = nextLocal(cursor);
      if (found.isEmpty() || bestLocal != null && found.get().isAfter(bestLocal.plus(MARGIN))) {
        break;
      }
      cursor = found.get();
      for (Instant at : instants(cursor, rules)) {
        if (at.isAfter(after) && (best == null || at.isBefore(best))) {
          best = at;
          bestLocal = cursor;
        }
      }
    }
    return best;
  }

  /** The instants a wall-clock time stands for, as fire times. */
  private List<Instant> instants(LocalDateTime local, ZoneRules rules) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.size() == 2 && hourWildcard) {
      return List.of(local.toInstant(offsets.get(0)), local.toInstant(offsets.get(1)));
    }
    return List.of(earliest(local, rules));
  }

  /** A wall-clock time as an instant: the earlier offset in an overlap, shifted in a gap. */
  private static Instant earliest(LocalDateTime local, ZoneRules rules) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (!offsets.isEmpty()) {
      return local.toInstant(offsets.get(0));
    }
    ZoneOffsetTransition gap = rules.getTransition(local);
    return local.plus(gap.getDuration()).toInstant(gap.getOffsetAfter());
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
