package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.api.Message;
import io.angora.api.PendingReplay;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.RunStore;
import io.angora.api.StoreHealth;
import io.angora.api.TaskDefinition;
import io.angora.tck.ForwardingRunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link Angora#runs()} is a read-only view of the run store: reads pass through, every write
 * fails naming its method and changes nothing, and a store's {@link StoreHealth} stays visible.
 */
class ReadOnlyRunStoreTest {
  private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void readsPassThroughAndEveryWriteFailsNamingItsMethod() throws Exception {
    InMemoryRunStore store = new InMemoryRunStore();
    try (Angora angora = Angora.builder().runStore(store)
        .task(TaskDefinition.builder("hello").triggers("app.hello").command("true").build())
        .build()) {
      angora.start();
      Message sent = angora.send("app.hello");
      assertThat(angora.awaitIdle(Duration.ofSeconds(30))).isTrue();
      RunStore runs = angora.runs();
      Run run = runs.workflow(sent.workflowId()).get(0);
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(runs.find(run.id())).contains(run);
      assertThat(runs.query(RunQuery.newest(10)).runs()).containsExactly(run);
      assertThat(runs.latest("hello", null)).contains(run);
      assertThat(runs.findMessage(sent.id())).isPresent();
      assertThat(runs.recentMessages(10)).hasSize(1);
      assertThat(runs.unfinished()).isEmpty();
      assertThat(runs.pendingReplays()).isEmpty();
      assertThat(runs.schedulePaused("nightly")).isFalse();
      assertThat(runs.flush()).isCompleted();

      Run changed = run.finished(RunStatus.FAILED, 1, "forged", "", T);
      Map<String, Consumer<RunStore>> writes = Map.of(
          "insert", s -> s.insert(changed),
          "update", s -> s.update(changed),
          "recordMessage", s -> s.recordMessage(new Message("m2", "app.hello", null, "wf", null,
              null, T)),
          "scheduleReplay", s -> s.scheduleReplay(new PendingReplay(run.id(), T)),
          "removeReplay", s -> s.removeReplay(run.id()),
          "recordFire", s -> s.recordFire("nightly", T),
          "setSchedulePaused", s -> s.setSchedulePaused("nightly", true),
          "close", RunStore::close);
      writes.forEach((method, write) -> assertThatThrownBy(() -> write.accept(runs))
          .as(method).isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("RunStore." + method + " through Angora.runs()"));

      // Nothing changed, and the store is still open.
      assertThat(store.find(run.id())).contains(run);
      assertThat(store.findMessage("m2")).isEmpty();
      assertThat(store.pendingReplays()).isEmpty();
      assertThat(store.schedulePaused("nightly")).isFalse();
      angora.send("app.hello");
      assertThat(angora.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(runs.query(RunQuery.newest(10)).runs()).hasSize(2);
      assertThat(runs).isNotInstanceOf(StoreHealth.class);
      assertThat(angora.storeHealth()).isEmpty();
    }
  }

  @Test
  void aStoreThatReportsItsHealthIsSeenAsOneThroughTheView() {
    HealthyStore store = new HealthyStore();
    try (Angora angora = Angora.builder().runStore(store).build()) {
      assertThat(angora.runs()).isInstanceOf(StoreHealth.class);
      StoreHealth health = (StoreHealth) angora.runs();
      assertThat(health.pendingWrites()).isEqualTo(3);
      assertThat(health.maxPendingWrites()).isEqualTo(100);
      assertThat(health.refusedWrites()).isEqualTo(2);
      assertThat(health.writesFailing()).isTrue();
      assertThat(angora.storeHealth()).containsSame(store);
      assertThatThrownBy(() -> angora.runs().removeReplay("r"))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  /** An in-memory store reporting fixed figures, as a store writing in the background does. */
  private static final class HealthyStore extends ForwardingRunStore implements StoreHealth {
    HealthyStore() {
      super(new InMemoryRunStore());
    }

    @Override
    public int pendingWrites() {
      return 3;
    }

    @Override
    public int maxPendingWrites() {
      return 100;
    }

    @Override
    public long refusedWrites() {
      return 2;
    }

    @Override
    public boolean writesFailing() {
      return true;
    }
  }
}
