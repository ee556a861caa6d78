package io.angora.engine.internal.coordinator;

import io.angora.api.Transport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps the {@link Leases} periodically on its own thread ({@code angora-leases}): expired
 * leases and suspects found not in flight go to the coordinator's handlers. Thread-safe.
 */
final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final Leases leases;
  private final Transport transport;
  private final Consumer<Leases.Expired> onExpired;
  private final Consumer<String> redispatch;
  private final Runnable onConnectionLost;
  private final ScheduledExecutorService timer;
  private long losses;

  /**
   * A reconciler, not yet sweeping.
   *
   * @param onConnectionLost called from a sweep once the transport counts a connection loss
   *     the previous sweep did not see: jobs it held transiently may be gone
   */
  Reconciler(Leases leases, Transport transport, Consumer<Leases.Expired> onExpired,
      Consumer<String> redispatch, Runnable onConnectionLost) {
    this.leases = leases;
    this.transport = transport;
    this.onExpired = onExpired;
    this.redispatch = redispatch;
    this.onConnectionLost = onConnectionLost;
    this.losses = transport.connectionLosses();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "angora-leases");
      t.setDaemon(true);
      return t;
    });
  }

  /** Sweeps every quarter lease, so an expiry is noticed at most that late. */
  void start() {
    long period = Math.max(50, leases.length().toMillis() / 4);
    timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    try {
      long lost = transport.connectionLosses();
      if (lost != losses) {
        losses = lost;
        onConnectionLost.run();
      }
      boolean connected = transport.connected();
      Long ready = connected && leases.suspects() > 0 ? transport.queueDepths().get("start")
          : null;
      Leases.Sweep sweep = leases.sweep(connected, ready);
      sweep.expired().forEach(onExpired);
      sweep.redispatch().forEach(redispatch);
    } catch (RuntimeException e) {
      log.error("Sweeping the leases of running jobs failed; retrying in {}",
          Duration.ofMillis(Math.max(50, leases.length().toMillis() / 4)), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
