package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.StoreException;
import io.angora.jdbc.internal.Writer;
import io.angora.tck.RunFixtures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The database refuses commits (as when the disk is full): nothing is lost, little is logged. */
class WriteFailureTest {
  @TempDir Path dir;
  private final RunFixtures fixtures = new RunFixtures();
  private final AtomicBoolean diskFull = new AtomicBoolean();
  private final AtomicInteger refusedCommits = new AtomicInteger();
  @RegisterExtension final LogCapture logged = new LogCapture(Writer.class);

  @Test
  void keepsWritesWhileTheDatabaseFailsAndWritesThemWhenItRecovers() {
    Path file = dir.resolve("angora.db");
    List<Run> runs = new ArrayList<>();
    try (JdbcRunStore store = store(file, Duration.ofSeconds(30))) {
      diskFull.set(true);
      for (int i = 0; i < 20; i++) {
        Run run = fixtures.queued("t", "wf");
        store.insert(run);
        runs.add(RunFixtures.finish(run, RunStatus.SUCCEEDED));
        store.update(runs.get(i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> refusedCommits.get() >= 3);
      // Reads still answer with the writes the database refused.
      assertThat(store.query(RunQuery.newest(100)).runs()).hasSize(20);
      assertThat(store.find(runs.get(7).id())).contains(runs.get(7));

      diskFull.set(false);
      store.flush(Duration.ofSeconds(20));
    }
    try (JdbcRunStore reopened = JdbcRunStore.sqlite(file)) {
      assertThat(reopened.query(RunQuery.newest(100)).runs())
          .containsExactlyInAnyOrderElementsOf(runs);
    }
    assertThat(logged.events()).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(1)
        .first().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains("cannot write", "database or disk is full", file.toString());
    assertThat(logged.events()).filteredOn(e -> e.getLevel() == Level.INFO)
        .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
        .contains("writing again");
  }

  @Test
  void pendingStatusChangesReplaceStoredRowsInEveryRead() {
    try (JdbcRunStore store = store(dir.resolve("angora.db"), Duration.ofSeconds(30))) {
      List<Run> queued = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        queued.add(fixtures.queued("t", "wf"));
        store.insert(queued.get(i));
      }
      store.flush(Duration.ofSeconds(10));
      diskFull.set(true);
      Run done = RunFixtures.finish(queued.get(3), RunStatus.SUCCEEDED);
      store.update(done);
      await().atMost(Duration.ofSeconds(10)).until(() -> refusedCommits.get() >= 1);

      RunQuery stillQueued = RunQuery.newest(2).withStatus(RunStatus.QUEUED);
      assertThat(store.query(stillQueued).runs()).extracting(Run::id)
          .containsExactly(queued.get(4).id(), queued.get(2).id());
      assertThat(store.query(RunQuery.newest(10).withStatus(RunStatus.SUCCEEDED)).runs())
          .containsExactly(done);
      assertThat(store.unfinished()).hasSize(4).doesNotContain(queued.get(3));
      assertThat(store.workflow("wf")).contains(done).hasSize(5);
      assertThat(store.latest("t", "wf")).contains(queued.get(4));
      diskFull.set(false);
    }
  }

  @Test
  void closingWhileTheDatabaseStillFailsNamesTheUnwrittenRuns() {
    JdbcRunStore store = store(dir.resolve("angora.db"), Duration.ofMillis(300));
    diskFull.set(true);
    Run run = fixtures.queued("t", "wf");
    store.insert(run);
    assertThatThrownBy(store::close)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("1 writes not written")
        .hasMessageContaining(run.id());
  }

  @Test
  @Timeout(60)
  void aFullQueueBlocksTheCallerUntilTheDatabaseRecoversAndLosesNothing() throws Exception {
    Path file = dir.resolve("angora.db");
    List<Run> runs = new ArrayList<>();
    try (JdbcRunStore store = store(file, Duration.ofSeconds(30), 5)) {
      diskFull.set(true);
      for (int i = 0; i < 5; i++) {
        runs.add(fixtures.queued("t", "wf"));
        store.insert(runs.get(i));
      }
      CompletableFuture<Void> flushed = store.flush();
      runs.add(fixtures.queued("t", "wf"));
      Thread blocked = new Thread(() -> store.insert(runs.get(5)), "blocked-writer");
      blocked.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> blocked.getState()
          == Thread.State.WAITING && refusedCommits.get() >= 1);
      assertThat(store.pendingWrites()).isEqualTo(5);
      assertThat(store.writesFailing()).isTrue();
      assertThat(flushed).isNotDone();

      diskFull.set(false);
      blocked.join(Duration.ofSeconds(30).toMillis());
      assertThat(blocked.isAlive()).isFalse();
      flushed.get(30, TimeUnit.SECONDS);
      store.flush(Duration.ofSeconds(30));
      assertThat(store.writesFailing()).isFalse();
      store.crash();
    }
    try (JdbcRunStore reopened = JdbcRunStore.sqlite(file)) {
      assertThat(reopened.query(RunQuery.newest(100)).runs())
          .containsExactlyInAnyOrderElementsOf(runs);
    }
  }

  private JdbcRunStore store(Path file, Duration closeTimeout) {
    return store(file, closeTimeout, 10_000);
  }

  private JdbcRunStore store(Path file, Duration closeTimeout, int maxPending) {
    String url = "jdbc:sqlite:" + file;
    return JdbcRunStore.builder(file)
        .closeTimeout(closeTimeout)
        .maxPendingWrites(maxPending)
        .connections(() -> failingCommits(DriverManager.getConnection(url)))
        .build();
  }

  /** A real connection whose commits fail while {@link #diskFull} is set. */
  private Connection failingCommits(Connection real) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("commit") && diskFull.get()) {
            refusedCommits.incrementAndGet();
            throw new SQLException("[SQLITE_FULL] database or disk is full");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
