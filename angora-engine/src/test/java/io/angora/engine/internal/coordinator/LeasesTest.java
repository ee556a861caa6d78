package io.angora.engine.internal.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.JobEvent;
import io.angora.engine.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeasesTest {
  private final TestClock clock = new TestClock("2026-01-01T00:00:00Z");
  private final Leases leases = new Leases(clock, Duration.ofSeconds(3));

  private JobEvent.WorkerHeartbeat beat(String worker, String... runIds) {
    return new JobEvent.WorkerHeartbeat(worker, "host", 2, List.of(runIds), Instant.EPOCH);
  }

  @Test
  void aLeaseRenewedByItsWorkersHeartbeatsDoesNotExpire() {
    leases.grant("r1", "w1");
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(2));
      leases.renew(beat("w1", "r1"));
      assertThat(leases.sweep(true, null).expired()).isEmpty();
    }
    assertThat(leases.holder("r1")).isEqualTo("w1");
  }

  @Test
  void aLeaseExpiresOnceWhenNoHeartbeatOfItsHolderListsTheRun() {
    leases.grant("r1", "w1");
    clock.advance(Duration.ofSeconds(2));
    leases.renew(beat("w2", "r1")); // another worker's word does not renew it
    leases.renew(beat("w1")); // nor a heartbeat without the run
    clock.advance(Duration.ofSeconds(1));
    assertThat(leases.sweep(true, null).expired())
        .containsExactly(new Leases.Expired("r1", "w1"));
    assertThat(leases.sweep(true, null).expired()).isEmpty();
    assertThat(leases.holder("r1")).isNull();
  }

  @Test
  void timeSpentDisconnectedDoesNotCountAgainstALease() {
    leases.grant("r1", "w1");
    clock.advance(Duration.ofSeconds(10));
    assertThat(leases.sweep(false, null).expired()).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    assertThat(leases.sweep(true, null).expired()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(leases.sweep(true, null).expired()).hasSize(1);
  }

  @Test
  void aReleasedLeaseNeverExpires() {
    leases.grant("r1", "w1");
    leases.release("r1");
    clock.advance(Duration.ofMinutes(1));
    assertThat(leases.sweep(true, null).expired()).isEmpty();
  }

  @Test
  void aSuspectIsDispatchedAgainOnlyWhenTheQueueDrainedAndNoHeartbeatListedIt() {
    leases.suspect("lost");
    leases.suspect("held");
    leases.suspect("started");
    // Jobs ready in the queue: the suspects may be among them.
    assertThat(leases.sweep(true, 5L).redispatch()).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(leases.sweep(true, 5L).redispatch()).isEmpty();
    assertThat(leases.sweep(true, 0L).redispatch()).isEmpty(); // the check starts now
    leases.renew(beat("w1", "held"));
    leases.grant("started", "w2");
    clock.advance(Duration.ofSeconds(2));
    assertThat(leases.sweep(true, 0L).redispatch()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(leases.sweep(true, 0L).redispatch()).containsExactly("lost");
    assertThat(leases.suspects()).isEqualTo(1); // "held" waits for the next check
  }

  @Test
  void aDisconnectionRestartsTheCheckOfSuspects() {
    leases.suspect("maybe");
    leases.sweep(true, 0L);
    clock.advance(Duration.ofSeconds(2));
    leases.sweep(false, null); // heartbeats may have been missed
    clock.advance(Duration.ofSeconds(2));
    assertThat(leases.sweep(true, null).redispatch()).isEmpty();
    assertThat(leases.suspects()).isEqualTo(1);
  }
}
