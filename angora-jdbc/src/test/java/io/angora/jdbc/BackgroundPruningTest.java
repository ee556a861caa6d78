package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.tck.RunFixtures;
import io.angora.tck.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundPruningTest {
  @TempDir Path dir;

  @Test
  void prunesOldRunsInSmallBatchesOnItsOwnThreadWhileTheStoreIsUsed() {
    TestClock clock = new TestClock(Instant.parse("2026-06-01T00:00:00Z"));
    RunFixtures old = new RunFixtures(clock.instant().minus(Duration.ofDays(100)));
    try (JdbcRunStore store = JdbcRunStore.builder(dir.resolve("angora.db"))
        .retention(new RetentionPolicy(Duration.ofDays(30), 0, Duration.ofDays(30)))
        .pruneEvery(Duration.ofMillis(200))
        .pruneBatchSize(100)
        .clock(clock)
        .build()) {
      for (int i = 0; i < 350; i++) {
        store.insert(RunFixtures.finish(old.queued("t", "wf"), RunStatus.SUCCEEDED));
      }
      Run fresh = old.queued(old.nextRunId(), "t", "wf", clock.instant());
      store.insert(fresh);

      await().atMost(Duration.ofSeconds(30))
          .until(() -> store.query(RunQuery.newest(10)).runs().size() == 1);
      assertThat(store.query(RunQuery.newest(10)).runs()).containsExactly(fresh);
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .contains("angora-jdbc-pruner", "angora-jdbc-writer");
    }
  }
}
