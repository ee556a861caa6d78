package io.angora.engine.internal.coordinator;

import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.engine.internal.triggers.TaskSet;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code parent_success} rule: a task runs only when the latest run of every parent task
 * (within the workflow, when one is given) succeeded. Stateless. Public so that explain gives
 * the coordinator's own reasons.
 */
public final class ParentCheck {
  private ParentCheck() {}

  /**
   * Why a task may not run now: a parent whose latest run did not succeed.
   *
   * @param store where the runs are
   * @param taskSet the tasks in force
   * @param task the task
   * @param workflow the workflow its parents must have succeeded in, or null for any
   * @return the reason naming the parent, or empty when every parent succeeded
   */
  public static Optional<String> problem(RunStore store, TaskSet taskSet, TaskDefinition task,
      @Nullable String workflow) {
    String where = workflow == null ? "" : " in workflow " + workflow;
    for (String parent : taskSet.parentsOf(task.name())) {
      Optional<Run> latest = store.latest(parent, workflow);
      if (latest.isEmpty()) {
        return Optional.of("parent task '" + parent + "' has not run" + where);
      }
      if (latest.get().status() != RunStatus.SUCCEEDED) {
        return Optional.of("parent task '" + parent + "' has not succeeded" + where
            + " (latest run " + latest.get().id() + " is " + latest.get().status() + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * A join fires once per set of parent runs: not again when none finished since it ran.
   *
   * @param store where the runs are
   * @param taskSet the tasks in force
   * @param task the task
   * @param workflow the workflow
   * @return true when the task already ran for the latest runs of its parents
   */
  public static boolean alreadyJoined(RunStore store, TaskSet taskSet, TaskDefinition task,
      String workflow) {
    Optional<Run> own = store.latest(task.name(), workflow);
    if (own.isEmpty() || own.get().status() != RunStatus.SUCCEEDED
        && own.get().status().isFinal()) {
      return false;
    }
    String ownId = own.get().id();
    for (String parent : taskSet.parentsOf(task.name())) {
      Optional<Run> latest = store.latest(parent, workflow);
      if (latest.isPresent() && latest.get().id().compareTo(ownId) > 0) {
        return false;
      }
    }
    return !taskSet.parentsOf(task.name()).isEmpty();
  }
}
