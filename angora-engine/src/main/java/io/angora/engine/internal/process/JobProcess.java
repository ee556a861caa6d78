package io.angora.engine.internal.process;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A job's started process, however it was launched: what killing its tree needs. Thread-safe.
 */
interface JobProcess {

  /** The process id. */
  long pid();

  /** Whether the process has not exited yet. */
  boolean isAlive();

  /**
   * Waits for the process to exit (without reaping it, for a process this JVM reaps itself).
   *
   * @param nanos how long at most
   * @return whether it has exited
   * @throws InterruptedException when interrupted
   */
  boolean waitFor(long nanos) throws InterruptedException;

  /**
   * Signals the process, and the process group it leads when the launcher made one.
   *
   * @param forcibly {@code SIGKILL} when true, else {@code SIGTERM}
   */
  void destroy(boolean forcibly);

  /** The processes it started, and theirs, as far as they are still found from it. */
  List<ProcessHandle> descendants();

  /**
   * A process started by {@link ProcessBuilder}.
   *
   * @param process the process
   * @return it as a job process
   */
  static JobProcess of(Process process) {
    return new JobProcess() {
      @Override
      public long pid() {
        return process.pid();
      }

      @Override
      public boolean isAlive() {
        return process.isAlive();
      }

      @Override
      public boolean waitFor(long nanos) throws InterruptedException {
        return process.waitFor(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void destroy(boolean forcibly) {
        if (forcibly) {
          process.destroyForcibly();
        } else {
          process.destroy();
        }
      }

      @Override
      public List<ProcessHandle> descendants() {
        return process.descendants().toList();
      }
    };
  }
}
