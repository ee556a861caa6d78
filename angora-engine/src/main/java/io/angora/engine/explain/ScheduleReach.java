package io.angora.engine.explain;

import io.angora.api.RunStore;
import io.angora.api.WorkflowGraph;
import io.angora.engine.explain.Explanation.ScheduleState;
import io.angora.engine.explain.Explanation.ScheduleStep;
import io.angora.engine.internal.triggers.TaskSet;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleCheck;
import io.angora.engine.schedule.ScheduleStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The schedules as explain sees them at one moment: which send a message, and which tasks only
 * paused schedules reach. A schedule's messages are those of its next
 * {@link ScheduleCheck#SAMPLES} fire times, as {@code angora check} looks at them. Immutable.
 */
final class ScheduleReach {
  /** Without schedules: nothing is sent by one, no task is reached by one. */
  static final ScheduleReach NONE = new ScheduleReach(List.of(), Set.of(), false);

  /** A schedule, its state and the messages it sends soon. */
  private record Sender(Schedule schedule, ScheduleState state, @Nullable Instant nextFire,
      Map<String, Instant> upcoming) {}

  private final List<Sender> senders;
  /** Tasks a message of some task (on success or on failure) triggers. */
  private final Set<String> sentByTasks;
  /** Task name to the schedules whose messages trigger it. */
  private final Map<String, List<Sender>> byTask = new HashMap<>();
  private final boolean pausesUnseen;

  private ScheduleReach(List<Sender> senders, Set<String> sentByTasks, boolean pausesUnseen) {
    this.senders = senders;
    this.sentByTasks = sentByTasks;
    this.pausesUnseen = pausesUnseen;
  }

  private static ScheduleReach build(TaskSet tasks, List<Sender> senders,
      boolean pausesUnseen) {
    Set<String> sentByTasks = new HashSet<>();
    for (WorkflowGraph.Edge edge : tasks.graph().edges()) {
      sentByTasks.add(edge.to());
    }
    ScheduleReach reach = new ScheduleReach(List.copyOf(senders), sentByTasks, pausesUnseen);
    for (Sender sender : senders) {
      Set<String> reached = new HashSet<>();
      for (String message : sender.upcoming().keySet()) {
        tasks.index().match(message).forEach(task -> {
          if (reached.add(task.name())) {
            reach.byTask.computeIfAbsent(task.name(), k -> new ArrayList<>()).add(sender);
          }
        });
      }
    }
    return reach;
  }

  /**
   * The schedules of a running coordinator, as its scheduler states them.
   *
   * @param tasks the tasks in force
   * @param statuses the schedules in force
   * @param now the moment explained
   * @return the reach
   */
  static ScheduleReach of(TaskSet tasks, List<ScheduleStatus> statuses, Instant now) {
    List<Sender> senders = new ArrayList<>();
    for (ScheduleStatus status : statuses) {
      Schedule schedule = status.schedule();
      ScheduleState state = !status.paused() ? ScheduleState.ACTIVE
          : schedule.paused() ? ScheduleState.PAUSED_IN_FILE : ScheduleState.PAUSED;
      senders.add(new Sender(schedule, state, status.nextFire(),
          schedule.upcomingMessages(now, ScheduleCheck.SAMPLES)));
    }
    return build(tasks, senders, false);
  }

  /**
   * Schedules as defined, their pauses at run time read from a stopped installation's store.
   *
   * @param tasks the tasks
   * @param schedules the schedules as defined
   * @param store the run store, or null: then only {@code paused: true} in a file is seen
   * @param now the moment explained
   * @return the reach
   */
  static ScheduleReach offline(TaskSet tasks, List<Schedule> schedules, @Nullable RunStore store,
      Instant now) {
    List<Sender> senders = new ArrayList<>();
    boolean unseen = store == null;
    for (Schedule schedule : schedules) {
      boolean pausedAtRunTime = false;
      if (!schedule.paused() && store != null && !unseen) {
        try {
          pausedAtRunTime = store.schedulePaused(schedule.name());
        } catch (UnsupportedOperationException e) {
          unseen = true;
        }
      }
      ScheduleState state = schedule.paused() ? ScheduleState.PAUSED_IN_FILE
          : pausedAtRunTime ? ScheduleState.PAUSED : ScheduleState.ACTIVE;
      senders.add(new Sender(schedule, state, state == ScheduleState.ACTIVE
          ? schedule.nextAfter(now).orElse(null) : null,
          schedule.upcomingMessages(now, ScheduleCheck.SAMPLES)));
    }
    return build(tasks, senders, unseen);
  }

  /** The schedules that send a message soon, in definition order. */
  List<ScheduleStep> sending(String message) {
    List<ScheduleStep> steps = new ArrayList<>();
    for (Sender sender : senders) {
      Instant at = sender.upcoming().get(message);
      if (at != null) {
        Schedule schedule = sender.schedule();
        boolean active = sender.state() == ScheduleState.ACTIVE;
        steps.add(new ScheduleStep(schedule.name(), schedule.timing().describe(),
            schedule.zone().getId(), schedule.message(), sender.state(),
            active ? sender.nextFire() : null, active ? at : null, schedule.origin()));
      }
    }
    return steps;
  }

  /** Whether schedules' messages alone reach a task: some trigger it, no task's messages do. */
  boolean onlySchedulesReach(String task) {
    return byTask.containsKey(task) && !sentByTasks.contains(task);
  }

  /**
   * The paused schedules that alone reach a task: empty when a task sends a message it is
   * triggered by, when no schedule reaches it, or when one that does is active.
   */
  List<String> onlyPaused(String task) {
    List<Sender> reaching = byTask.getOrDefault(task, List.of());
    if (!onlySchedulesReach(task)
        || reaching.stream().anyMatch(s -> s.state() == ScheduleState.ACTIVE)) {
      return List.of();
    }
    return reaching.stream().map(s -> s.schedule().name()).toList();
  }

  /**
   * Whether pauses made at run time could not be seen (no run store, or one that keeps no
   * schedule state): a schedule paused through the API then counts as active.
   */
  boolean pausesUnseen() {
    return pausesUnseen && !senders.isEmpty();
  }
}
