package io.angora.engine.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class NearestTriggerTest {
  private static TaskDefinition task(String name, String... triggers) {
    return TaskDefinition.builder(name).triggers(triggers).command("true").build();
  }

  @Test
  void suggestsTheTriggerWithTheFewestEdits() {
    List<TaskDefinition> tasks = List.of(task("a", "example.step.1", "demo.start"),
        task("b", "example.step.2"));

    assertThat(NearestTrigger.to("exmaple.step.2", tasks)).contains("example.step.2");
    assertThat(NearestTrigger.to("demo.strat", tasks)).contains("demo.start");
    assertThat(NearestTrigger.to("x", List.of())).isEmpty();
  }

  @Test
  void distanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(NearestTrigger.distance("kitten", "sitting", 100)).isEqualTo(3);
    assertThat(NearestTrigger.distance("", "abc", 100)).isEqualTo(3);
    assertThat(NearestTrigger.distance("same", "same", 100)).isZero();
    assertThat(NearestTrigger.distance("aaaaaaaa", "b", 3)).isGreaterThanOrEqualTo(3);
  }
}
