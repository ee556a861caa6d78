package io.angora.engine.explain;

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
 * @param depth how many levels of follow-up messages are followed, 1 or more
 * @param root the message and the tasks it triggers
 * @param notes what the explanation could not look at, as sentences (no run store, ...)
 */
public record Explanation(String message, @Nullable String workflowId, int depth, Step root,
    List<String> notes) {

  /** Copies the list. */
  public Explanation {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(root, "root");
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
   * @param repeat whether it is explained here or elsewhere in this explanation
   * @param next the messages it would send, on success then on failure; empty when
   *     {@code repeat} is not {@link Repeat#NO}
   */
  public record TaskStep(String task, String trigger, Match match, List<String> conditions,
      List<Hold> holds, Repeat repeat, List<Step> next) {
    /** Copies the lists. */
    public TaskStep {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(match, "match");
      Objects.requireNonNull(repeat, "repeat");
      conditions = List.copyOf(conditions);
      holds = List.copyOf(holds);
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
