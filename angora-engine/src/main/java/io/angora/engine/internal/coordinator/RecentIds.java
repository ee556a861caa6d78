package io.angora.engine.internal.coordinator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids this process saw most recently, a bounded number of them (the oldest are forgotten).
 * The coordinator notes message ids, so that a second copy of a message (a follow-up sent again
 * after a crash while its first copy was still queued) is handled as a redelivery, its runs
 * looked up instead of queued again; a worker notes the run ids it started, so that a job the
 * coordinator published again after a restart is not run twice. Thread-safe.
 */
public final class RecentIds {
  private static final int REMEMBERED = 65_536;

  private final Map<String, Boolean> ids = new LinkedHashMap<>(1024, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };

  /**
   * Notes an id.
   *
   * @param id the id
   * @return true when it was noted before (and not forgotten since)
   */
  public synchronized boolean seenBefore(String id) {
    return ids.put(id, Boolean.TRUE) != null;
  }

  /**
   * Whether an id was noted (and not forgotten since), without noting it.
   *
   * @param id the id
   * @return true when it was noted
   */
  public synchronized boolean contains(String id) {
    return ids.containsKey(id);
  }

  /**
   * Forgets an id, e.g. a run given back unfinished, whose next delivery must run.
   *
   * @param id the id
   */
  public synchronized void forget(String id) {
    ids.remove(id);
  }
}
