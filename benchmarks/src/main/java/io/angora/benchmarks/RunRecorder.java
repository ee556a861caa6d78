package io.angora.benchmarks;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunListener;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Listens to the coordinator and hands every finished run of the current {@link Round} to it,
 * with its message's send time. Counting happens here, on the coordinator's threads as outcomes
 * are recorded, not by polling the store. Runs of other rounds (or stray messages left on a
 * broker) are ignored. Thread-safe.
 */
final class RunRecorder implements RunListener {
  private final Clock clock;
  private final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
  private volatile @Nullable Round round;

  /**
   * Creates a recorder.
   *
   * @param clock the clock also used by the engine, for the recorded-result time
   */
  RunRecorder(Clock clock) {
    this.clock = clock;
  }

  /**
   * Makes a round the current one; its messages must carry its tag as payload.
   *
   * @param next the round
   */
  void begin(Round next) {
    sentAt.clear();
    round = next;
  }

  @Override
  public void onMessage(Message message) {
    Round current = round;
    // Called before the message's runs are queued, so the run's outcome always finds it.
    if (current != null && current.tag().equals(message.payload())) {
      sentAt.put(message.id(), message.sentAt());
    }
  }

  @Override
  public void onRun(Run run) {
    if (!run.status().isFinal()) {
      return;
    }
    Round current = round;
    if (current == null || !current.tag().equals(run.payload())) {
      return;
    }
    Instant sent = sentAt.remove(run.messageId());
    if (sent != null) {
      current.finished(run, sent, clock.instant());
    }
  }
}
