package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.StoreException;
import io.angora.jdbc.internal.Writer;
import io.angora.tck.RunFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * A row the database cannot hold (an instant beyond its range, as a header
 * {@code angora-sent-at: +300000-01-01T00:00:00Z} would make) is set aside while the runs
 * before and after it are recorded. Extended per database.
 */
abstract class RefusedWriteCases {
  static final Instant FAR = Instant.parse("+300000-01-01T00:00:00Z");

  private final RunFixtures fixtures = new RunFixtures();
  /** Opens the store under test, on the same database each time within a case. */
  abstract JdbcRunStore open();

  @RegisterExtension final LogCapture logged = new LogCapture(Writer.class);

  @Test
  @Timeout(60)
  void anOutOfRangeInstantIsSetAsideAndTheRunsAroundItAreRecorded() throws Exception {
    JdbcRunStore store = open();
    List<Run> good = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      good.add(fixtures.queued("t", "wf"));
      store.insert(good.get(i));
    }
    Message poison = new Message("m-poison", "a.b", null, "wf-p", null, null, FAR);
    Run bad = Run.queued(fixtures.nextRunId(), "t", poison, 1, FAR);
    store.recordMessage(poison);
    store.insert(bad);
    for (int i = 0; i < 5; i++) {
      Run run = fixtures.queued("t", "wf");
      store.insert(run);
      good.add(RunFixtures.finish(run, RunStatus.SUCCEEDED));
      store.update(good.get(good.size() - 1));
    }

    assertThatThrownBy(() -> store.flush().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StoreException.class)
        .hasMessageContaining("run " + bad.id()).hasMessageContaining("message m-poison")
        .hasMessageContaining("+300000-01-01T00:00:00Z").hasMessageContaining("out of the range");
    assertThat(store.refusedWrites()).isEqualTo(2);
    assertThat(store.pendingWrites()).isZero();
    // Reported once: later writes and flushes go on.
    Run after = fixtures.queued("t", "wf");
    store.insert(after);
    good.add(after);
    store.flush(Duration.ofSeconds(30));

    assertThat(logged.events()).filteredOn(e -> e.getLevel() == Level.ERROR)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("refused run " + bad.id(), "set aside",
            "queued_at", "+300000-01-01T00:00:00Z"))
        .anySatisfy(line -> assertThat(line).contains("refused message m-poison", "sent_at"));
    store.crash();
    try (JdbcRunStore reopened = open()) {
      assertThat(reopened.query(RunQuery.newest(100)).runs())
          .containsExactlyInAnyOrderElementsOf(good);
      assertThat(reopened.find(bad.id())).isEmpty();
      assertThat(reopened.findMessage("m-poison")).isEmpty();
    }
  }

  @Test
  void instantsAtTheEdgesOfTheRangeAreKept() {
    try (JdbcRunStore store = open()) {
      Instant late = Instant.parse("+290000-01-01T00:00:00.000001Z");
      Instant early = Instant.parse("-4000-01-01T00:00:00Z");
      Run lateRun = fixtures.queued(fixtures.nextRunId(), "t", "wf", late);
      Run earlyRun = fixtures.queued(fixtures.nextRunId(), "t", "wf", early);
      store.insert(lateRun);
      store.insert(earlyRun);
      store.flush(Duration.ofSeconds(30));
      assertThat(store.refusedWrites()).isZero();
      assertThat(store.query(RunQuery.newest(10)).runs()).containsExactly(earlyRun, lateRun);
    }
  }
}
