package io.angora.jdbc;

import io.angora.api.RunStore;
import io.angora.tck.RunStoreRetentionContract;
import io.angora.tck.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

class SqliteRetentionTest extends RunStoreRetentionContract {
  @TempDir Path dir;
  private final AtomicInteger files = new AtomicInteger();

  @Override
  protected RunStore newStore(TestClock clock, @Nullable Duration maxAge, int keepPerTask) {
    return JdbcRunStore.builder(dir.resolve("angora-" + files.incrementAndGet() + ".db"))
        .retention(new RetentionPolicy(maxAge, keepPerTask, maxAge))
        .pruneBatchSize(2)
        .clock(clock)
        .build();
  }

  @Override
  protected void prune(RunStore store) {
    JdbcRunStore jdbc = (JdbcRunStore) store;
    jdbc.flush(Duration.ofSeconds(10));
    jdbc.prune();
  }
}
