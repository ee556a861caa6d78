package io.angora.engine.internal.coordinator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one id scheme of runs and messages: 14 hex digits of microseconds since the epoch, a dash,
 * then either random hex digits ({@link #next()}) or hex digits of a SHA-256 digest of what the
 * id stands for (the deterministic ids), so that ids sort by time as text.
 *
 * <p>Deterministic ids make redelivery idempotent: after a crash, a message or outcome handled
 * again yields the same run ids and follow-up message ids, which the store and the coordinator
 * recognise. Their time part comes from the item itself (when the message was sent, when the run
 * failed, the fire time) in whole milliseconds, never from the clock at handling, except that a time in the future is
 * cut to now so that a message dated ahead cannot sort after every later run. The digest (64
 * bits) keeps ids of different items apart even at the same microsecond, also when a sender
 * chooses message ids on purpose. Thread-safe.
 */
public final class Ids {
  private static final long MAX_MICROS = (1L << 56) - 1; // 14 hex digits
  private final Clock clock;
  private final AtomicLong last = new AtomicLong();

  /**
   * Creates a generator.
   *
   * @param clock the time source
   */
  public Ids(Clock clock) {
    this.clock = clock;
  }

  /** Returns a new id greater than every id this generator returned before. */
  public String next() {
    long value = last.accumulateAndGet(micros(clock.instant()),
        (prev, candidate) -> Math.max(prev + 1, candidate));
    char[] id = new char[21];
    hex(value, id, 0, 14);
    id[14] = '-';
    hex(ThreadLocalRandom.current().nextInt(1 << 24), id, 15, 6);
    return new String(id);
  }

  /**
   * The id of the run of a task for a message: the same for every delivery of the message.
   *
   * @param messageId the triggering message's id
   * @param task the task's name
   * @param sentAt when the message was sent
   * @return the run id
   */
  public String run(String messageId, String task, Instant sentAt) {
    return derived(sentAt, "run", messageId, task);
  }

  /**
   * The id of the run replaying a failed run: the same however often the replay fires.
   *
   * @param failedRunId the failed run
   * @param attempt the replay's attempt number
   * @param dueAt when the replay is due
   * @return the run id
   */
  public String replay(String failedRunId, int attempt, Instant dueAt) {
    return derived(dueAt, "replay", failedRunId, Integer.toString(attempt));
  }

  /**
   * The base of the id of a schedule's message for one fire time, as long as {@link #next()}'s
   * ids (the schedule's name follows it in the message id, which makes it unique).
   *
   * @param schedule the schedule's name
   * @param fireTime the fire time
   * @return the id, 21 characters
   */
  public String fire(String schedule, Instant fireTime) {
    return derived(fireTime, "fire", schedule, fireTime.toString()).substring(0, 21);
  }

  /**
   * The id of a follow-up message of a run: the run's id and the message's position among the
   * task's {@code messages}.
   *
   * @param runId the run that succeeded
   * @param position 0 for the first follow-up message
   * @return the message id
   */
  public static String followUp(String runId, int position) {
    return runId + "-" + Integer.toHexString(position);
  }

  /**
   * The id of an {@code on_failure} message of a run that failed for good: the run's id and the
   * message's position among the task's {@code on_failure}, apart from {@link #followUp}'s.
   *
   * @param runId the run that failed
   * @param position 0 for the first message
   * @return the message id
   */
  public static String failure(String runId, int position) {
    return runId + "-f" + Integer.toHexString(position);
  }

  /**
   * Whether a message id is one {@link #failure} derived from a run.
   *
   * @param messageId the message's id
   * @param parentRunId the run that sent it
   * @return true for an on_failure message of that run
   */
  public static boolean isFailureMessage(String messageId, String parentRunId) {
    int tail = parentRunId.length() + 2;
    if (!messageId.startsWith(parentRunId) || messageId.length() <= tail
        || !messageId.startsWith("-f", parentRunId.length())) {
      return false;
    }
    for (int i = tail; i < messageId.length(); i++) {
      if (Character.digit(messageId.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private String derived(Instant at, String kind, String first, String second) {
    Instant now = clock.instant();
    // Whole milliseconds: a time read back from a store that keeps less than nanoseconds
    // still gives the same id.
    long micros = micros((at.isAfter(now) ? now : at).truncatedTo(ChronoUnit.MILLIS));
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    sha.update(kind.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(first.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(second.getBytes(StandardCharsets.UTF_8));
    byte[] digest = sha.digest();
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    char[] id = new char[31];
    hex(micros, id, 0, 14);
    id[14] = '-';
    hex(bits, id, 15, 16);
    return new String(id);
  }

  private static long micros(Instant at) {
    long seconds = Math.max(0, Math.min(at.getEpochSecond(), MAX_MICROS / 1_000_000L - 1));
    long value = seconds * 1_000_000L + (at.getEpochSecond() < 0 ? 0 : at.getNano() / 1_000);
    return Math.min(value, MAX_MICROS);
  }

  private static void hex(long value, char[] into, int from, int digits) {
    for (int i = from + digits - 1; i >= from; i--) {
      into[i] = Character.forDigit((int) (value & 0xf), 16);
      value >>>= 4;
    }
  }
}
