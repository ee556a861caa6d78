package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The API's view of a task shows its flow keys and on-failure messages. */
class TaskViewTest {
  @Test
  void aTaskShowsItsFlowKeysAndOnFailureMessages() {
    TaskDefinition paced = TaskDefinition.builder("paced").triggers("paced.go").command("true")
        .concurrency(1).concurrencyGroup("db", 2).rate(10, Duration.ofMinutes(1)).priority(7)
        .onFailure("paced.failed").build();

    Map<String, Object> view = Views.task(paced, Optional.empty(), null);

    assertThat(view.get("onFailure")).isEqualTo(List.of("paced.failed"));
    assertThat(view.get("flow")).isEqualTo(Map.of("concurrency", 1, "concurrencyGroup", "db",
        "groupLimit", 2, "overflow", "queue", "rate", "10/min", "priority", 7));
  }

  @Test
  void aTaskWithoutFlowKeysShowsNulls() {
    TaskDefinition plain = TaskDefinition.builder("plain").triggers("go").command("true")
        .build();

    Map<?, ?> flow = (Map<?, ?>) Views.task(plain, Optional.empty(), null).get("flow");

    assertThat(flow.get("concurrency")).isNull();
    assertThat(flow.get("concurrencyGroup")).isNull();
    assertThat(flow.get("rate")).isNull();
    assertThat(flow.get("priority")).isEqualTo(0);
  }
}
