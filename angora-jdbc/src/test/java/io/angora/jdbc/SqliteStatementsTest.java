package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.tck.RunFixtures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements per run on SQLite, counted (not timed): runs queued, started and finished while
 * the writer commits an earlier batch are written once each in their newest state, all of them
 * and their messages with one statement of each kind in one transaction.
 */
class SqliteStatementsTest {
  @TempDir Path dir;
  private final RunFixtures fixtures = new RunFixtures();

  @Test
  @Timeout(60)
  void runsChangedBeforeTheyAreWrittenCostOneRowEachInOneStatementPerKind() throws Exception {
    Path file = dir.resolve("angora.db");
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger commits = new AtomicInteger();
    AtomicBoolean armed = new AtomicBoolean();
    String url = "jdbc:sqlite:" + file;
    List<Run> finished = new ArrayList<>();
    try (JdbcRunStore store = JdbcRunStore.builder(file)
        .connections(() -> gatedCommits(DriverManager.getConnection(url), armed, commits,
            release))
        .build()) {
      armed.set(true);
      Run first = fixtures.queued("t", "wf");
      store.insert(first);
      await().atMost(Duration.ofSeconds(10)).until(() -> commits.get() == 1);
      long statementsBefore = store.statementsExecuted();
      long transactionsBefore = store.transactionsCommitted();

      int runs = 300;
      for (int i = 0; i < runs; i++) {
        Run run = fixtures.queued("t", "wf-" + i);
        store.recordMessage(new Message("m-" + run.id(), "t.go", null, run.workflowId(), null,
            null, run.queuedAt()));
        store.insert(run);
        store.update(run.started("w", run.queuedAt()));
        Run done = RunFixtures.finish(run, i % 2 == 0 ? RunStatus.SUCCEEDED : RunStatus.FAILED);
        store.update(done);
        finished.add(done);
      }
      release.countDown();
      store.flush(Duration.ofSeconds(30));

      long statements = store.statementsExecuted() - statementsBefore;
      long transactions = store.transactionsCommitted() - transactionsBefore;
      // The held commit (its statement ran before it), then one batch: the 300 runs upserted in
      // their final state and the 300 messages inserted, each by statements of 64 rows
      // (4 x 64 + 44).
      assertThat(transactions).isEqualTo(2);
      assertThat(statements).isEqualTo(10);
      assertThat((double) statements / runs).isLessThan(0.04);
      finished.add(0, first);
      store.crash();
    }
    try (JdbcRunStore reopened = JdbcRunStore.sqlite(file)) {
      assertThat(reopened.query(RunQuery.newest(RunQuery.MAX_LIMIT)).runs())
          .containsExactlyInAnyOrderElementsOf(finished);
      assertThat(reopened.recentMessages(1000)).hasSize(300);
    }
  }

  /** A real connection whose first commit once armed waits until released. */
  private static Connection gatedCommits(Connection real, AtomicBoolean armed,
      AtomicInteger commits, CountDownLatch release) {
    return (Connection) Proxy.newProxyInstance(SqliteStatementsTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("commit") && armed.get()
              && commits.incrementAndGet() == 1) {
            release.await(30, TimeUnit.SECONDS);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
