package io.angora.api;

/**
 * An optional ability of a {@link RunStore} that writes in the background: how its writing
 * goes, for {@code /metrics} and health pages. A store that writes synchronously has nothing
 * to report and need not implement it.
 *
 * <p>Implementations are thread-safe and answer without touching the database.
 */
public interface StoreHealth {

  /**
   * Writes accepted but not yet committed (each run, message or replay counted once however
   * often it changed).
   *
   * @return the count
   */
  int pendingWrites();

  /**
   * The most writes the store holds pending before a write blocks its caller.
   *
   * @return the bound
   */
  int maxPendingWrites();

  /**
   * Writes the database refused (a value it cannot hold, a constraint), retried alone and then
   * set aside, each logged with what it was and why; they are not recorded. Since the store
   * was opened.
   *
   * @return the count
   */
  long refusedWrites();

  /**
   * Whether writing is failing now (database unreachable, disk full): pending writes wait and
   * are retried.
   *
   * @return true while failing
   */
  boolean writesFailing();
}
