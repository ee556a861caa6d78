package io.angora.engine.explain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a message would do, worked out without running or recording anything: the tasks it
 * triggers and through which trigger, what would hold each back now, and the messages they
 * would send on success and on failure, as deep as asked. Immutable.
 *
 * @param message the message text explained ({@code manual:TASK} for a manual run)
 * @param workflowId the workflow it is explained in, or null for a new workflow
 * @param unknownWorkflow true when {@code workflowId} was given and the run store holds neither
 *     a run in it nor a message with that id (a mistyped or forgotten id); the rest is
 *     explained anyway, as in a workflow where nothing has run
 * @param depth how many levels of follow-up messages are followed, 1 or more
 * @param root the message and the tasks it triggers
 * @param schedules the schedules that send the message explained among their next
 *     {@link io.angora.engine.schedule.ScheduleCheck#SAMPLES} fire times, paused or not, in
 *     definition order; empty for a manual run
 * @param notes what the explanation could not look at, as sentences (no run store, ...)
 */
public record Explanation(String message, @Nullable String workflowId, boolean unknownWorkflow,
    int depth, Step root, List<ScheduleStep> schedules, List<String> notes) {

  /** Copies the lists. */
  public Explanation {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(root, "root");
    schedules = List.copyOf(schedules);
    notes = List.copyOf(notes);
  }

  /** Whether the message triggers no task at all. */
  public boolean triggersNothing() {
    return root.tasks().isEmpty();
  }

  /** How a message comes to be sent. */
  public enum Via {
    /** The message explained. */
    SENT,
    /** A manual run of one task ({@code POST /api/tasks/{name}/run}). */
    MANUAL,
    /** A task's {@code messages}, sent when it succeeds. */
    SUCCESS,
    /** A task's {@code on_failure}, sent when it has failed for good. */
    FAILURE
  }

  /** How a task's trigger matched a message. */
  public enum Match {
    /** The trigger is the message itself. */
    EXACT,
    /** A trigger with {@code *} or {@code #} matched. */
    PATTERN,
    /** No trigger: a manual run names the task. */
    MANUAL
  }

  /** Whether a task is explained in full where it appears. */
  public enum Repeat {
    /** Explained here. */
    NO,
    /** Explained in full at another place of this explanation; not followed again here. */
    SHOWN_ELSEWHERE,
    /** One of the tasks that led here: a cycle, shown once and not followed. */
    CYCLE
  }

  /** Whether a schedule sends its messages now. */
  public enum ScheduleState {
    /** It fires at its fire times. */
    ACTIVE,
    /** {@code paused: true} in its file; resumed only by editing the file and reloading. */
    PAUSED_IN_FILE,
    /**
     * Paused at run time ({@code POST /api/schedules/{name}/pause}, the UI,
     * {@code Angora.pauseSchedule}), recorded in the run store; resumed the same ways.
     */
    PAUSED
  }

  /**
   * A schedule that sends the message explained.
   *
   * @param schedule the schedule's name
   * @param timing its timing, e.g. {@code cron 5 1 * * 1-5} or {@code every 30m}
   * @param zone the zone of its wall clock
   * @param template its message template, e.g. {@code time.{HHmm}}
   * @param state active or paused, and how
   * @param nextFire its next fire time, whatever message that sends; null while paused
   * @param nextSends the next fire time that sends the message explained; null while paused
   * @param origin where it is defined, e.g. {@code tasks/schedules.yml:3}, or null
   */
  public record ScheduleStep(String schedule, String timing, String zone, String template,
      ScheduleState state, @Nullable Instant nextFire, @Nullable Instant nextSends,
      @Nullable String origin) {
    /** Checks the fields. */
    public ScheduleStep {
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(timing, "timing");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(state, "state");
    }

    /** Whether the schedule is paused, in its file or at run time. */
    public boolean paused() {
      return state != ScheduleState.ACTIVE;
    }
  }

  /** Why a run would not start at once. */
  public enum HoldKind {
    /** {@code parent_success}: a parent's latest run in the workflow did not succeed. */
    PARENT_SUCCESS,
    /** {@code parent_success}: the join already ran for its parents' latest runs. */
    ALREADY_JOINED,
    /** Concurrency, concurrency group or rate, as the coordinator's gate says now. */
    FLOW
  }

  /**
   * A message and the tasks it triggers.
   *
   * @param message the message text
   * @param via how it is sent
   * @param followed whether its tasks were looked up (false beyond the depth asked for)
   * @param tasks the tasks it triggers, in definition order; empty when none or not followed
   * @param nearestTrigger when it is followed and triggers nothing: the trigger nearest to it,
   *     as a suggestion; otherwise null
   */
  public record Step(String message, Via via, boolean followed, List<TaskStep> tasks,
      @Nullable String nearestTrigger) {
    /** Copies the list. */
    public Step {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(via, "via");
      tasks = List.copyOf(tasks);
    }
  }

  /**
   * A task a message triggers.
   *
   * @param task the task's name
   * @param trigger the trigger that matched ({@code manual} for a manual run)
   * @param match exact, pattern or manual
   * @param conditions what the task's definition makes it wait for, whatever the state:
   *     {@code parent_success} and its parents, concurrency, group, overflow, rate, priority
   * @param holds what would hold it back now; looked at only for the message explained, not
   *     for follow-ups (their state depends on the runs before them)
   * @param pausedSchedules when only schedules' messages reach the task (no task sends a
   *     message it is triggered by) and every one of those schedules is paused now: their names,
   *     as no schedule will trigger it until one is resumed (sent by hand, the message still
   *     runs it); empty otherwise
   * @param repeat whether it is explained here or elsewhere in this explanation
   * @param next the messages it would send, on success then on failure; empty when
   *     {@code repeat} is not {@link Repeat#NO}
   */
  public record TaskStep(String task, String trigger, Match match, List<String> conditions,
      List<Hold> holds, List<String> pausedSchedules, Repeat repeat, List<Step> next) {
    /** Copies the lists. */
    public TaskStep {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(match, "match");
      Objects.requireNonNull(repeat, "repeat");
      conditions = List.copyOf(conditions);
      holds = List.copyOf(holds);
      pausedSchedules = List.copyOf(pausedSchedules);
      next = List.copyOf(next);
    }

    /** Whether something would hold the run back now. */
    public boolean held() {
      return !holds.isEmpty();
    }
  }

  /**
   * Something that would hold a run back now.
   *
   * @param kind parent_success, a join already run, or flow control
   * @param reason the reason, as the run or the coordinator would state it
   */
  public record Hold(HoldKind kind, String reason) {
    /** Checks the fields. */
    public Hold {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
