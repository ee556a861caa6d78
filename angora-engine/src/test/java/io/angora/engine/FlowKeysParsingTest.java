package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.angora.api.FlowControl;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import io.angora.engine.internal.triggers.TaskSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The flow-control keys, on_failure and groups.yml: parsed, resolved, and refused when bad. */
class FlowKeysParsingTest {
  private static final String FILE = "tasks/flow.yml";
  @TempDir Path dir;

  private static List<TaskError> errors(String yaml) {
    TaskLoadException e = catchThrowableOfType(TaskLoadException.class,
        () -> YamlTaskSource.parse(FILE, yaml));
    assertThat(e).as("expected a TaskLoadException").isNotNull();
    return e.errors();
  }

  private List<TaskError> loadErrors() {
    TaskLoadException e = catchThrowableOfType(TaskLoadException.class,
        () -> YamlTaskSource.directory(dir).load());
    assertThat(e).as("expected a TaskLoadException").isNotNull();
    return e.errors();
  }

  @Test
  void parsesEveryFlowKeyAndOnFailure() {
    TaskDefinition task = YamlTaskSource.parse(FILE, """
        - name: a
          triggers: x
          command: c
          concurrency: 2
          overflow: skip
          rate: 10/min
          priority: 9
          on_failure: [a.failed, ops.page]
        """).get(0);
    assertThat(task.flow()).isEqualTo(new FlowControl(2, null, FlowControl.Overflow.SKIP,
        new FlowControl.Rate(10, Duration.ofMinutes(1)), 9));
    assertThat(task.onFailure()).containsExactly("a.failed", "ops.page");
  }

  @Test
  void withoutFlowKeysATaskHasNone() {
    TaskDefinition task = YamlTaskSource.parse(FILE, "- {name: a, triggers: x, command: c}")
        .get(0);
    assertThat(task.flow()).isEqualTo(FlowControl.NONE);
    assertThat(task.flow().limited()).isFalse();
    assertThat(task.onFailure()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"2/s,2,PT1S", "10/min,10,PT1M", "5/h,5,PT1H", "100/d,100,PT24H", "'3 / s',3,PT1S"})
  void parsesRates(String written, int count, String period) {
    TaskDefinition task = YamlTaskSource.parse(FILE,
        "- {name: a, triggers: x, command: c, rate: " + written + "}").get(0);
    assertThat(task.flow().rate()).isEqualTo(new FlowControl.Rate(count,
        Duration.parse(period)));
  }

  @Test
  void badValuesNameFileLineAndField() {
    List<TaskError> errors = errors("""
        - name: a
          triggers: x
          command: c
          concurrency: 0
          rate: 10 per minute
          priority: 10
          on_failure: ["bad message"]
        - name: b
          triggers: x
          command: c
          overflow: drop
          concurrency: many
        - name: c
          triggers: x
          command: c
          rate: 0/s
          overflow: skip
        """);
    assertThat(errors).extracting(TaskError::line, TaskError::field).containsExactly(
        org.assertj.core.groups.Tuple.tuple(4, "concurrency"),
        org.assertj.core.groups.Tuple.tuple(5, "rate"),
        org.assertj.core.groups.Tuple.tuple(6, "priority"),
        org.assertj.core.groups.Tuple.tuple(7, "on_failure[0]"),
        org.assertj.core.groups.Tuple.tuple(11, "overflow"),
        org.assertj.core.groups.Tuple.tuple(12, "concurrency"),
        org.assertj.core.groups.Tuple.tuple(16, "rate"),
        org.assertj.core.groups.Tuple.tuple(17, "overflow"));
    assertThat(errors.get(0).message()).contains("1 or more");
    assertThat(errors.get(1).message()).contains("2/s, 10/min");
    assertThat(errors.get(2).message()).contains("0 (the default) to 9");
    assertThat(errors.get(4).message()).contains("queue", "skip");
    assertThat(errors.get(7).message()).contains("overflow applies to a concurrency limit");
  }

  @Test
  void aMisspeltFlowKeyIsNamed() {
    assertThat(errors("- {name: a, triggers: x, command: c, onfailure: [y]}"))
        .singleElement().satisfies(e -> assertThat(e.message()).contains("'on_failure'"));
    assertThat(errors("- {name: a, triggers: x, command: c, concurency: 1}"))
        .singleElement().satisfies(e -> assertThat(e.message()).contains("'concurrency'"));
  }

  @Test
  void groupsComeFromGroupsYmlAndEveryTaskOfAGroupCarriesItsLimit() throws IOException {
    Files.writeString(dir.resolve("groups.yml"), """
        - name: database
          concurrency: 2
        - name: mail
          concurrency: 1
        """);
    Files.writeString(dir.resolve("t.yml"), """
        - {name: a, triggers: x, command: c, concurrency_group: database}
        - {name: b, triggers: x, command: c, concurrency_group: database, concurrency: 1}
        """);
    List<TaskDefinition> tasks = YamlTaskSource.directory(dir).load();
    assertThat(tasks).extracting(t -> t.flow().group())
        .containsOnly(new FlowControl.Group("database", 2));
    assertThat(tasks.get(1).flow().concurrency()).isEqualTo(1);
  }

  @Test
  void anUndeclaredGroupIsAnErrorAtTheTask() throws IOException {
    Files.writeString(dir.resolve("groups.yml"), "- {name: database, concurrency: 2}\n");
    Files.writeString(dir.resolve("t.yml"), """
        - name: a
          triggers: x
          command: c
          concurrency_group: databse
        """);
    assertThat(loadErrors()).singleElement().satisfies(e -> {
      assertThat(e.file()).isEqualTo(dir.resolve("t.yml").toString());
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.field()).isEqualTo("concurrency_group");
      assertThat(e.message()).contains("'databse' is not declared", "groups.yml",
          "(declared: database)");
    });
  }

  @Test
  void aBadGroupsFileIsReportedWithTheTaskErrors() throws IOException {
    Files.writeString(dir.resolve("groups.yml"), """
        - name: database
          concurrency: 0
        - name: database
          concurrency: 2
        - name: mail
          limit: 3
        """);
    Files.writeString(dir.resolve("t.yml"), "- {name: a, triggers: x, command: c, replay: x}\n");
    List<TaskError> errors = loadErrors();
    String groups = dir.resolve("groups.yml").toString();
    assertThat(errors).extracting(TaskError::file, TaskError::line, TaskError::field)
        .contains(org.assertj.core.groups.Tuple.tuple(groups, 2, "concurrency"),
            org.assertj.core.groups.Tuple.tuple(groups, 3, "name"),
            org.assertj.core.groups.Tuple.tuple(groups, 6, "limit"),
            org.assertj.core.groups.Tuple.tuple(groups, 5, "concurrency"),
            org.assertj.core.groups.Tuple.tuple(dir.resolve("t.yml").toString(), 1, "replay"));
  }

  @Test
  void groupsYmlIsNotATaskFile() throws IOException {
    Files.writeString(dir.resolve("groups.yml"), "- {name: database, concurrency: 2}\n");
    assertThat(YamlTaskSource.directory(dir).load()).isEmpty();
  }

  @Test
  void tasksInCodeThatDisagreeOnAGroupsLimitAreRefused() {
    TaskDefinition a = TaskDefinition.builder("a").triggers("x").command("c")
        .concurrencyGroup("db", 2).build();
    TaskDefinition b = TaskDefinition.builder("b").triggers("x").command("c")
        .concurrencyGroup("db", 3).build();
    assertThatThrownBy(() -> TaskSet.of(List.of(a, b))).isInstanceOf(TaskLoadException.class)
        .hasMessageContaining("task 'b' gives concurrency group 'db' the limit 3, task 'a' "
            + "gives it 2");
  }

  @Test
  void theBuilderChecksTheFlowValues() {
    assertThatThrownBy(() -> TaskDefinition.builder("a").triggers("x").command("c")
        .priority(10).build()).hasMessageContaining("priority must be 0 to 9");
    assertThatThrownBy(() -> TaskDefinition.builder("a").concurrencyGroup("db", 0))
        .hasMessageContaining("limit must be 1 or more");
    assertThatThrownBy(() -> TaskDefinition.builder("a").rate(0, Duration.ofSeconds(1)))
        .hasMessageContaining("1 or more");
  }
}
