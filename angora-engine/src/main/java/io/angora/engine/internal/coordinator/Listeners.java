package io.angora.engine.internal.coordinator;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registered {@link RunListener}s; one failing listener never stops the others. */
public final class Listeners implements RunListener {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);
  private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

  /**
   * Adds listeners.
   *
   * @param more the listeners
   */
  public void add(List<RunListener> more) {
    listeners.addAll(more);
  }

  /**
   * Adds a listener.
   *
   * @param listener the listener
   */
  public void add(RunListener listener) {
    listeners.add(listener);
  }

  /**
   * Removes a listener.
   *
   * @param listener the listener
   */
  public void remove(RunListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void onRun(Run run) {
    for (RunListener l : listeners) {
      try {
        l.onRun(run);
      } catch (RuntimeException e) {
        log.warn("Run listener {} failed on run {}", l, run.id(), e);
      }
    }
  }

  @Override
  public void onMessage(Message message) {
    for (RunListener l : listeners) {
      try {
        l.onMessage(message);
      } catch (RuntimeException e) {
        log.warn("Run listener {} failed on message {}", l, message.id(), e);
      }
    }
  }
}
