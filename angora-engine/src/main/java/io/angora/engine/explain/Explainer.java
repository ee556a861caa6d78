package io.angora.engine.explain;

import io.angora.api.FlowControl;
import io.angora.api.MessageText;
import io.angora.api.NotFoundException;
import io.angora.api.RunQuery;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.engine.InMemoryRunStore;
import io.angora.engine.explain.Explanation.Hold;
import io.angora.engine.explain.Explanation.HoldKind;
import io.angora.engine.explain.Explanation.Match;
import io.angora.engine.explain.Explanation.Repeat;
import io.angora.engine.explain.Explanation.ScheduleStep;
import io.angora.engine.explain.Explanation.Step;
import io.angora.engine.explain.Explanation.TaskStep;
import io.angora.engine.explain.Explanation.Via;
import io.angora.engine.internal.coordinator.ParentCheck;
import io.angora.engine.internal.triggers.TaskSet;
import io.angora.engine.internal.triggers.TriggerIndex;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Works out an {@link Explanation}: reads the tasks, the schedules, the run store and the
 * coordinator's flow gate, and changes nothing. The holds it states come from the
 * coordinator's own checks ({@code parent_success}, the flow gate), not from a copy of them.
 * Immutable and thread-safe as far as the store and the flow gate it is given are.
 */
public final class Explainer {
  /** The deepest cascade explained; each task is explained once anyway, so this bounds work. */
  public static final int MAX_DEPTH = 20;

  /** The parents of a message without a workflow are looked up here: a new workflow has no runs. */
  private static final RunStore NEW_WORKFLOW = new InMemoryRunStore();

  private final TaskSet tasks;
  private final @Nullable RunStore store;
  private final @Nullable Function<TaskDefinition, Optional<String>> flowGate;
  private final ScheduleReach schedules;

  private Explainer(TaskSet tasks, @Nullable RunStore store,
      @Nullable Function<TaskDefinition, Optional<String>> flowGate, ScheduleReach schedules) {
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.store = store;
    this.flowGate = flowGate;
    this.schedules = schedules;
  }

  /**
   * An explainer over task and schedule definitions, as {@code angora explain --tasks DIR}
   * uses: with a store, {@code parent_success} within a workflow is checked against its runs
   * and the schedules paused at run time are read from it; without one, only what the
   * definitions say. Flow limits are stated, not checked (no coordinator is running to count
   * runs).
   *
   * @param tasks the tasks, names unique
   * @param schedules the schedules as defined (names unique)
   * @param store the run store of the installation, or null
   * @param now the moment explained: the schedules' next fire times are counted from it
   * @return the explainer
   * @throws io.angora.api.TaskLoadException when the tasks do not form a valid set
   */
  public static Explainer of(List<TaskDefinition> tasks, List<Schedule> schedules,
      @Nullable RunStore store, Instant now) {
    TaskSet set = TaskSet.of(tasks);
    return new Explainer(set, store, null, ScheduleReach.offline(set, schedules, store, now));
  }

  /**
   * An explainer over a running coordinator's tasks, store, flow gate and schedules (the
   * engine's own use, by {@code Angora.explain}).
   *
   * @param tasks the tasks in force
   * @param store the run store
   * @param flowGate why a new run of a task would wait now, or empty; reads only
   * @param schedules the schedules in force, as the scheduler states them now
   * @param now the moment explained
   * @return the explainer
   */
  public static Explainer of(TaskSet tasks, RunStore store,
      Function<TaskDefinition, Optional<String>> flowGate, List<ScheduleStatus> schedules,
      Instant now) {
    return new Explainer(tasks, Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(flowGate, "flowGate"), ScheduleReach.of(tasks, schedules, now));
  }

  /**
   * Explains a message as if it were sent now.
   *
   * @param message the message text
   * @param workflowId the workflow it would be sent in, or null for a new one
   * @param depth levels of follow-up messages to follow, 1 to {@link #MAX_DEPTH}
   * @return the explanation
   * @throws IllegalArgumentException for a message or workflow id that breaks the rules of
   *     {@link MessageText}, or a depth out of range
   */
  public Explanation explain(String message, @Nullable String workflowId, int depth) {
    MessageText.checkMessage(message);
    if (workflowId != null) {
      MessageText.checkId("workflow id", workflowId);
    }
    checkDepth(depth);
    List<String> notes = new ArrayList<>();
    if (workflowId != null && store == null) {
      notes.add("no run store: parent_success within workflow " + workflowId
          + " is not checked (give a store, or ask a running Angora)");
    }
    // One run is enough to know the workflow: a query for one, not all of its runs.
    boolean unknownWorkflow = workflowId != null && store != null
        && store.query(RunQuery.newest(1).withWorkflow(workflowId)).runs().isEmpty()
        && store.findMessage(workflowId).isEmpty();
    if (unknownWorkflow) {
      notes.add("workflow " + workflowId + " is unknown to the run store: no run in it, nor a "
          + "message with that id, is recorded; its tasks are explained as in a workflow where "
          + "nothing has run (check the id)");
    }
    Cascade cascade = new Cascade(depth);
    Step root = cascade.step(message, Via.SENT, 0, new LinkedHashSet<>(), task ->
        holds(task, workflowId, workflowId == null ? NEW_WORKFLOW : store));
    List<ScheduleStep> sending = schedules.sending(message);
    cascade.scheduled |= !sending.isEmpty();
    notes.addAll(cascade.notes());
    return new Explanation(message, workflowId, unknownWorkflow, depth, root, sending, notes);
  }

  /**
   * Explains a manual run of a task ({@code Angora.run}): its triggers play no part, and
   * {@code parent_success} looks at its parents' latest runs in any workflow.
   *
   * @param task the task's name
   * @param depth levels of follow-up messages to follow, 1 to {@link #MAX_DEPTH}
   * @return the explanation, its root message being {@code manual:TASK}
   * @throws NotFoundException for an unknown task
   * @throws IllegalArgumentException for a depth out of range
   */
  public Explanation explainRun(String task, int depth) {
    checkDepth(depth);
    TaskDefinition definition = tasks.task(task)
        .orElseThrow(() -> new NotFoundException("task", task));
    List<String> notes = new ArrayList<>();
    if (store == null && definition.parentSuccess()) {
      notes.add("no run store: parent_success is not checked (give a store, or ask a running "
          + "Angora)");
    }
    Cascade cascade = new Cascade(depth);
    cascade.explained.add(task);
    TaskStep only = cascade.task(definition, "manual", Match.MANUAL, 0, new LinkedHashSet<>(),
        holds(definition, null, store), Repeat.NO);
    notes.addAll(cascade.notes());
    String text = "manual:" + task;
    return new Explanation(text, null, false, depth,
        new Step(text, Via.MANUAL, true, List.of(only), null), List.of(), notes);
  }

  private static void checkDepth(int depth) {
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("depth must be 1 to " + MAX_DEPTH + ", was " + depth);
    }
  }

  /** What would hold a new run of the task back now; the parents are read from {@code runs}. */
  private List<Hold> holds(TaskDefinition task, @Nullable String workflowId,
      @Nullable RunStore runs) {
    List<Hold> holds = new ArrayList<>();
    if (task.parentSuccess() && runs != null) {
      Optional<String> problem = ParentCheck.problem(runs, tasks, task, workflowId);
      if (problem.isPresent()) {
        holds.add(new Hold(HoldKind.PARENT_SUCCESS, problem.get()
            + (workflowId == null && runs == NEW_WORKFLOW ? " (the message starts a new workflow)"
            : "")));
      } else if (workflowId != null && ParentCheck.alreadyJoined(runs, tasks, task, workflowId)) {
        holds.add(new Hold(HoldKind.ALREADY_JOINED, "already ran for the latest runs of its "
            + "parents in workflow " + workflowId + "; the message would not run it again"));
      }
    }
    if (flowGate != null) {
      flowGate.apply(task).ifPresent(r -> holds.add(new Hold(HoldKind.FLOW, r)));
    }
    return holds;
  }

  /** One explanation's walk: each task is explained once, later mentions point back to it. */
  private final class Cascade {
    private final int depth;
    private final Set<String> explained = new HashSet<>();
    /** Whether a task with flow limits was met. */
    private boolean limited;
    /** Whether a schedule sends the message, or alone reaches a task met. */
    boolean scheduled;

    Cascade(int depth) {
      this.depth = depth;
    }

    List<String> notes() {
      List<String> notes = new ArrayList<>();
      if (flowGate == null && limited) {
        notes.add("no coordinator: concurrency and rate limits are stated, not checked "
            + "against the runs in progress (ask a running Angora for that)");
      }
      if (scheduled && schedules.pausesUnseen()) {
        notes.add("no run store keeping schedule state: a schedule paused at run time (API, UI) "
            + "shows as active; only paused: true in its file is seen (give the store, or ask "
            + "a running Angora)");
      }
      return notes;
    }

    Step step(String message, Via via, int level, Set<String> path,
        Function<TaskDefinition, List<Hold>> holds) {
      List<TaskDefinition> matched = tasks.index().match(message);
      if (matched.isEmpty()) {
        return new Step(message, via, true, List.of(),
            NearestTrigger.to(message, tasks.tasks()).orElse(null));
      }
      // Siblings are claimed before any is followed, so that a task is explained where it
      // first appears on the shallowest level, not deep inside a sibling's cascade.
      List<Repeat> repeats = new ArrayList<>(matched.size());
      for (TaskDefinition task : matched) {
        repeats.add(path.contains(task.name()) ? Repeat.CYCLE
            : explained.add(task.name()) ? Repeat.NO : Repeat.SHOWN_ELSEWHERE);
      }
      List<TaskStep> steps = new ArrayList<>(matched.size());
      for (int i = 0; i < matched.size(); i++) {
        TaskDefinition task = matched.get(i);
        String trigger = trigger(task, message);
        steps.add(task(task, trigger, trigger.equals(message) ? Match.EXACT : Match.PATTERN,
            level, path, holds.apply(task), repeats.get(i)));
      }
      return new Step(message, via, true, steps, null);
    }

    TaskStep task(TaskDefinition task, String trigger, Match match, int level,
        Set<String> path, List<Hold> holds, Repeat repeat) {
      List<String> conditions = conditions(task);
      limited |= task.flow().limited();
      scheduled |= schedules.onlySchedulesReach(task.name());
      List<String> paused = schedules.onlyPaused(task.name());
      if (repeat != Repeat.NO) {
        return new TaskStep(task.name(), trigger, match, conditions, holds, paused, repeat,
            List.of());
      }
      path.add(task.name());
      List<Step> next = new ArrayList<>();
      boolean follow = level < depth;
      for (String sent : new LinkedHashSet<>(task.messages())) {
        next.add(follow ? step(sent, Via.SUCCESS, level + 1, path, t -> List.of())
            : new Step(sent, Via.SUCCESS, false, List.of(), null));
      }
      for (String sent : new LinkedHashSet<>(task.onFailure())) {
        next.add(follow ? step(sent, Via.FAILURE, level + 1, path, t -> List.of())
            : new Step(sent, Via.FAILURE, false, List.of(), null));
      }
      path.remove(task.name());
      return new TaskStep(task.name(), trigger, match, conditions, holds, paused, Repeat.NO,
          next);
    }
  }

  /** The trigger of a task that matches a message: the exact one when there is one. */
  private static String trigger(TaskDefinition task, String message) {
    String first = null;
    for (String trigger : task.triggers()) {
      if (trigger.equals(message)) {
        return trigger;
      }
      if (first == null && TriggerIndex.matches(trigger, message)) {
        first = trigger;
      }
    }
    return Objects.requireNonNull(first, "the index matched a task none of whose triggers match");
  }

  /** What a task's definition makes a run wait for, whatever the state. */
  private List<String> conditions(TaskDefinition task) {
    List<String> conditions = new ArrayList<>();
    if (task.parentSuccess()) {
      List<String> parents = tasks.parentsOf(task.name());
      conditions.add(parents.isEmpty() ? "parent_success (no parent task sends its triggers)"
          : "parent_success: the latest runs of " + String.join(", ", parents)
          + " in the workflow must have succeeded");
    }
    FlowControl flow = task.flow();
    if (flow.concurrency() != FlowControl.NO_LIMIT) {
      conditions.add("concurrency " + flow.concurrency() + " (overflow: "
          + flow.overflow().yaml() + ")");
    }
    FlowControl.Group group = flow.group();
    if (group != null) {
      conditions.add("concurrency_group " + group.name() + ": at most " + group.limit()
          + " at once (overflow: " + flow.overflow().yaml() + ")");
    }
    FlowControl.Rate rate = flow.rate();
    if (rate != null) {
      conditions.add("rate " + rate);
    }
    if (flow.priority() != 0) {
      conditions.add("priority " + flow.priority());
    }
    return conditions;
  }
}
