package io.angora.engine.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A job's process and everything it started, killed together: a polite {@code SIGTERM} to all,
 * then {@code SIGKILL} to whatever is still running after a grace period. Thread-safe; the tree
 * is killed at most once.
 */
public final class ProcessTree {
  private static final long MAX_POLL_MILLIS = 50;

  private final JobProcess root;
  private final Duration grace;
  private final AtomicBoolean killed = new AtomicBoolean();
  private final CountDownLatch gone = new CountDownLatch(1);

  /**
   * Creates the tree of a started process.
   *
   * @param root the job's process
   * @param grace how long processes get to exit after {@code SIGTERM}
   */
  public ProcessTree(Process root, Duration grace) {
    this(JobProcess.of(root), grace);
  }

  /**
   * Creates the tree of a started job process.
   *
   * @param root the job's process
   * @param grace how long processes get to exit after {@code SIGTERM}
   */
  ProcessTree(JobProcess root, Duration grace) {
    this.root = root;
    this.grace = grace;
  }

  /**
   * Kills the tree, returning once every process in it is gone or was sent {@code SIGKILL};
   * blocks for up to about the grace period. Does nothing when called again, or when the root
   * has already exited (its descendants then belong to nobody we can name safely).
   */
  public void kill() {
    if (!killed.compareAndSet(false, true)) {
      return;
    }
    try {
      killOnce();
    } finally {
      gone.countDown();
    }
  }

  /**
   * Waits until a {@link #kill} that another thread started is over.
   *
   * @param limit how long to wait at most
   * @return whether the kill is over
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitKilled(Duration limit) throws InterruptedException {
    return gone.await(limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void killOnce() {
    if (!root.isAlive()) {
      return;
    }
    // Descendants first, while the root still holds them: once it dies, they are re-parented
    // and no longer found from it.
    List<ProcessHandle> tree = new ArrayList<>(root.descendants());
    root.destroy(false);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      root.waitFor(grace.toNanos());
      awaitGone(tree, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // fall through to the forced kill at once
    }
    if (root.isAlive()) {
      tree.addAll(root.descendants()); // started during the grace period
      root.destroy(true);
    } else {
      root.destroy(true); // what is left of its process group, if it has one
    }
    for (ProcessHandle process : tree) {
      if (isRunning(process)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  /** Waits until no process of the list runs, or the deadline passes. */
  private static void awaitGone(List<ProcessHandle> processes, long deadline)
      throws InterruptedException {
    long pause = 1;
    while (processes.stream().anyMatch(ProcessTree::isRunning) && System.nanoTime() < deadline) {
      // These are not our children: the JDK offers no way to wait for them but polling.
      TimeUnit.MILLISECONDS.sleep(pause);
      pause = Math.min(pause * 2, MAX_POLL_MILLIS);
    }
  }

  /**
   * Whether a process runs: alive for the JDK and not a zombie. A killed grandchild stays a
   * zombie until init reaps it, which some container inits do late; the JDK counts zombies as
   * alive.
   */
  static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"),
          StandardCharsets.US_ASCII);
      int afterName = stat.lastIndexOf(')'); // the name may contain spaces and parentheses
      return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
    } catch (IOException e) {
      return process.isAlive(); // no /proc (not Linux) or the process just went away
    }
  }
}
