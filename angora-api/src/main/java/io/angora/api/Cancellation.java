package io.angora.api;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A request to stop one running job, shared by the worker that asks and the executor that
 * runs it. Thread-safe; cancelling is idempotent and the first reason wins.
 */
public final class Cancellation {
  private final List<Runnable> callbacks = new ArrayList<>();
  private @Nullable String reason;

  /**
   * Cancels: runs every registered callback once.
   *
   * @param why the reason recorded on the run
   */
  public void cancel(String why) {
    List<Runnable> toRun;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      toRun = List.copyOf(callbacks);
      callbacks.clear();
    }
    toRun.forEach(Runnable::run);
  }

  /** Whether {@link #cancel} was called. */
  public synchronized boolean isCancelled() {
    return reason != null;
  }

  /** The reason given to {@link #cancel}, or null. */
  public synchronized @Nullable String reason() {
    return reason;
  }

  /**
   * Registers what to do on cancellation; runs it at once when already cancelled.
   *
   * @param callback e.g. killing the process tree
   */
  public void onCancel(Runnable callback) {
    synchronized (this) {
      if (reason == null) {
        callbacks.add(callback);
        return;
      }
    }
    callback.run();
  }
}
