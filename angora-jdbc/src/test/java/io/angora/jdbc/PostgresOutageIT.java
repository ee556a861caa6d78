package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.StoreException;
import io.angora.tck.PrivatePostgres;
import io.angora.tck.RunFixtures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A private PostgreSQL stopped (and, in the second case, killed) under a store: writes go on
 * up to the bound and then block, reads throw, flush waits; once the server is back every write
 * is committed, counted exactly in the database.
 */
class PostgresOutageIT {
  private static final int BOUND = 60;
  private final RunFixtures fixtures = new RunFixtures();
  private PrivatePostgres pg;
  private JdbcRunStore store;

  @BeforeEach
  void start() {
    pg = PrivatePostgres.create();
    store = JdbcRunStore.builder(pg.jdbcUrl()).maxPendingWrites(BOUND)
        .closeTimeout(Duration.ofSeconds(60)).build();
  }

  @AfterEach
  void stop() {
    try {
      store.close();
    } finally {
      pg.close();
    }
  }

  @Test
  @Timeout(240)
  void writesWaitForAStoppedServerUpToTheBoundAndAllAreCommittedWhenItReturns()
      throws Exception {
    outage(pg::stop);
  }

  @Test
  @Timeout(240)
  void writesSurviveAKilledServerThatRecovers() throws Exception {
    outage(pg::kill);
  }

  private void outage(Runnable takeDown) throws Exception {
    List<Run> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(write(i));
    }
    store.flush().get(60, TimeUnit.SECONDS);
    assertThat(countRows("runs")).isEqualTo(10);

    takeDown.run();
    assertThatThrownBy(() -> store.query(RunQuery.newest(10)))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.findMessage("m-0")).isInstanceOf(StoreException.class);

    // Each write adds a run and a message: the bound is reached after BOUND / 2 of them.
    for (int i = 10; i < 10 + BOUND / 2; i++) {
      expected.add(write(i));
    }
    await().atMost(Duration.ofSeconds(30)).until(store::writesFailing);
    assertThat(store.pendingWrites()).isEqualTo(BOUND);
    CompletableFuture<Void> flushed = store.flush();
    int last = 10 + BOUND / 2;
    Run blockedRun = fixtures.queued("t", "wf");
    Thread blocked = new Thread(() -> store.insert(blockedRun), "blocked-consumer");
    blocked.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> blocked.getState()
        == Thread.State.WAITING);
    assertThat(flushed).isNotDone();
    assertThat(store.pendingWrites()).isEqualTo(BOUND);

    pg.start();
    flushed.get(60, TimeUnit.SECONDS);
    blocked.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(blocked.isAlive()).isFalse();
    expected.add(blockedRun);
    store.flush().get(60, TimeUnit.SECONDS);
    assertThat(store.refusedWrites()).isZero();
    assertThat(store.writesFailing()).isFalse();

    assertThat(countRows("runs")).isEqualTo(expected.size());
    assertThat(countRows("messages")).isEqualTo(last);
    store.crash();
    store = JdbcRunStore.open(pg.jdbcUrl());
    assertThat(store.query(RunQuery.newest(RunQuery.MAX_LIMIT)).runs())
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  private Run write(int i) {
    Run run = fixtures.queued("t", "wf-" + i);
    store.recordMessage(new Message("m-" + i, "t.go", null, run.workflowId(), null, null,
        run.queuedAt()));
    store.insert(run);
    Run done = RunFixtures.finish(run, RunStatus.SUCCEEDED);
    store.update(done);
    return done;
  }

  private long countRows(String table) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT count(*) FROM " + table)) {
      row.next();
      return row.getLong(1);
    }
  }
}
