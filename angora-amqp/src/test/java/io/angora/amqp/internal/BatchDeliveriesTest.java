package io.angora.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A batch is acknowledged only once every part is settled, and given back if any part is. */
class BatchDeliveriesTest {
  private final List<String> deadLettered = new ArrayList<>();
  private CompletableFuture<Void> deadLetterResult = CompletableFuture.completedFuture(null);

  /** The delivery carrying the batch, recording how it was settled. */
  private static final class Carrier implements Delivery<List<String>> {
    final List<String> body;
    final boolean redelivered;
    final List<String> settlements = new ArrayList<>();

    Carrier(boolean redelivered, String... items) {
      this.body = List.of(items);
      this.redelivered = redelivered;
    }

    @Override
    public List<String> body() {
      return body;
    }

    @Override
    public boolean redelivered() {
      return redelivered;
    }

    @Override
    public void ack() {
      settlements.add("ack");
    }

    @Override
    public void reject(String reason) {
      settlements.add("reject " + reason);
    }

    @Override
    public void requeue() {
      settlements.add("requeue");
    }
  }

  private BatchDeliveries<String> splitter(Consumer<Delivery<String>> handler) {
    return new BatchDeliveries<>("test", handler, (item, reason) -> {
      deadLettered.add(item + ": " + reason);
      return deadLetterResult;
    });
  }

  @Test
  void acknowledgedOnlyWhenTheLastPartIs() {
    List<Delivery<String>> parts = new ArrayList<>();
    Carrier carrier = new Carrier(false, "a", "b", "c");
    splitter(parts::add).accept(carrier);
    assertThat(parts).extracting(Delivery::body).containsExactly("a", "b", "c");
    parts.get(2).ack();
    parts.get(0).ack();
    parts.get(0).ack(); // a second settle of one part counts once
    assertThat(carrier.settlements).isEmpty();
    parts.get(1).ack();
    assertThat(carrier.settlements).containsExactly("ack");
  }

  @Test
  void onePartGivenBackRequeuesTheBatchOnceAllAreSettled() {
    List<Delivery<String>> parts = new ArrayList<>();
    Carrier carrier = new Carrier(false, "a", "b");
    splitter(parts::add).accept(carrier);
    parts.get(0).requeue();
    assertThat(carrier.settlements).isEmpty();
    parts.get(1).ack();
    assertThat(carrier.settlements).containsExactly("requeue");
  }

  @Test
  void aRefusedPartIsDeadLetteredAloneAndTheBatchAcknowledged() {
    List<Delivery<String>> parts = new ArrayList<>();
    Carrier carrier = new Carrier(false, "a", "b");
    splitter(parts::add).accept(carrier);
    parts.get(0).reject("bad");
    parts.get(1).ack();
    assertThat(deadLettered).containsExactly("a: bad");
    assertThat(carrier.settlements).containsExactly("ack");
  }

  @Test
  void aRefusedPartWhoseCopyFailsRequeuesTheBatch() {
    deadLetterResult = CompletableFuture.failedFuture(new IllegalStateException("broker away"));
    List<Delivery<String>> parts = new ArrayList<>();
    Carrier carrier = new Carrier(false, "a", "b");
    splitter(parts::add).accept(carrier);
    parts.get(0).reject("bad");
    parts.get(1).ack();
    assertThat(carrier.settlements).containsExactly("requeue");
  }

  @Test
  void aHandlerThatThrowsRequeuesThenDeadLettersOnRedelivery() {
    Consumer<Delivery<String>> handler = d -> {
      if (d.body().equals("poison")) {
        throw new IllegalStateException("boom");
      }
      d.ack();
    };
    Carrier first = new Carrier(false, "a", "poison");
    splitter(handler).accept(first);
    assertThat(first.settlements).containsExactly("requeue");
    assertThat(deadLettered).isEmpty();
    Carrier again = new Carrier(true, "a", "poison");
    splitter(handler).accept(again);
    assertThat(again.settlements).containsExactly("ack");
    assertThat(deadLettered).singleElement().asString().startsWith("poison: handler failed twice");
  }

  @Test
  void aSingleItemIsSettledAsTheDeliveryItself() {
    List<Delivery<String>> parts = new ArrayList<>();
    Carrier carrier = new Carrier(true, "a");
    splitter(parts::add).accept(carrier);
    assertThat(parts.get(0).redelivered()).isTrue();
    parts.get(0).reject("bad");
    assertThat(carrier.settlements).containsExactly("reject bad");
    assertThat(deadLettered).isEmpty();
  }
}
