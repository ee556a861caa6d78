package io.angora.api;

/**
 * One item handed to a consumer by a {@link Transport}, to be settled exactly once.
 *
 * <p>An item not yet settled when its consumer dies is delivered again (possibly to another
 * consumer), with {@link #redelivered()} true. Settling methods may be called from any thread.
 *
 * @param <T> what is delivered
 */
public interface Delivery<T> {

  /** The item. */
  T body();

  /** Whether this item was delivered before and not settled then. */
  boolean redelivered();

  /** Settles the item as handled: it will not be delivered again. */
  void ack();

  /**
   * Settles the item as unusable: it is dropped, or moved to a dead-letter queue, never
   * delivered again.
   *
   * @param reason why, for the log and the dead-letter record
   */
  void reject(String reason);

  /** Gives the item back unhandled, to be delivered again (e.g. when a worker stops). */
  void requeue();
}
