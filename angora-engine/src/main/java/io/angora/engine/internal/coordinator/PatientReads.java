package io.angora.engine.internal.coordinator;

import io.angora.api.StoreException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store reads on the coordinator's delivery paths, waited out while the store is away: a read
 * that throws {@link StoreException} is tried again after a bounded backoff (100 ms doubling to
 * 5 s) instead of failing the delivery, so that nothing is acknowledged or dead-lettered because
 * the database is down; the broker keeps the messages meanwhile. Gives up only when closed.
 * Thread-safe.
 */
final class PatientReads {
  private static final Logger log = LoggerFactory.getLogger(PatientReads.class);
  private static final Duration FIRST = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(5);

  private volatile boolean closed;

  /**
   * Reads, waiting while the store throws.
   *
   * @param what what is read, for the log
   * @param read the read
   * @param <T> the result
   * @return the result
   * @throws StoreException only once {@link #close()} was called
   */
  <T> T read(String what, Supplier<T> read) {
    long delay = FIRST.toMillis();
    boolean logged = false;
    while (true) {
      try {
        T value = read.get();
        if (logged) {
          log.info("The run store answers again ({})", what);
        }
        return value;
      } catch (StoreException e) {
        if (closed) {
          throw e;
        }
        if (!logged) {
          log.warn("The run store cannot be read ({}): {}; waiting for it, deliveries stay in "
              + "the broker", what, e.getMessage());
          logged = true;
        }
        try {
          Thread.sleep(delay);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted while waiting for the run store (" + what + ")",
              stop);
        }
        delay = Math.min(delay * 2, MAX.toMillis());
      }
    }
  }

  /** Makes waiting reads give up: the coordinator is stopping. */
  void close() {
    closed = true;
  }
}
