package io.angora.jdbc;

import io.angora.api.RunStore;
import io.angora.tck.RunStoreRetentionContract;
import io.angora.tck.TestClock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

class PostgresRetentionIT extends RunStoreRetentionContract {
  private final Map<RunStore, String> urls = new IdentityHashMap<>();

  @Override
  protected RunStore newStore(TestClock clock, @Nullable Duration maxAge, int keepPerTask) {
    String url = Postgres.newSchemaUrl();
    JdbcRunStore store = JdbcRunStore.builder(url)
        .retention(new RetentionPolicy(maxAge, keepPerTask, maxAge))
        .pruneBatchSize(2)
        .clock(clock)
        .build();
    urls.put(store, url);
    return store;
  }

  @Override
  protected void prune(RunStore store) {
    JdbcRunStore jdbc = (JdbcRunStore) store;
    jdbc.flush(Duration.ofSeconds(10));
    jdbc.prune();
  }

  @Override
  protected void cleanUp(RunStore used) throws Exception {
    used.close();
    Postgres.dropSchema(urls.get(used));
  }
}
