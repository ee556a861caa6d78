package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  @Test
  void refusesAtOnceBeyondTheWaitingLimitAndAfterTheLongestWait() {
    Admission admission = new Admission(1, 1, Duration.ofMillis(300));
    assertThat(admission.enter()).isTrue();

    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(admission::enter);
    // The waiter times out: nobody leaves.
    assertThat(waiter.join()).isFalse();
    assertThat(admission.enter()).isFalse();

    admission.leave();
    assertThat(admission.enter()).isTrue();
  }

  @Test
  void aWaiterGetsThePlaceThatIsLeft() throws Exception {
    Admission admission = new Admission(1, 1, Duration.ofSeconds(30));
    assertThat(admission.enter()).isTrue();
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(admission::enter);
    Thread.onSpinWait();
    admission.leave();
    assertThat(waiter.get()).isTrue();
  }

  @Test
  void noWaitingMeansRefusedAtOnceWhenFull() {
    Admission admission = new Admission(2, 0, Duration.ofSeconds(30));
    assertThat(admission.enter()).isTrue();
    assertThat(admission.enter()).isTrue();
    assertThat(admission.enter()).isFalse();
  }
}
