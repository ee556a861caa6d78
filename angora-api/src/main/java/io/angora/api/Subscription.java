package io.angora.api;

/** A consumer registered with a {@link Transport}; closing it stops deliveries to it. */
public interface Subscription extends AutoCloseable {

  /** Stops deliveries; items already delivered are still to be settled. Idempotent. */
  @Override
  void close();
}
