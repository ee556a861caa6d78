package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parser on single files: every field, and every kind of error with file, line, field. */
class YamlTaskParsingTest {
  private static final String FILE = "tasks/test.yml";

  private static List<TaskError> errors(String yaml) {
    TaskLoadException e = catchThrowableOfType(TaskLoadException.class,
        () -> YamlTaskSource.parse(FILE, yaml));
    assertThat(e).as("expected a TaskLoadException").isNotNull();
    assertThat(e.errors()).allSatisfy(error -> assertThat(error.file()).isEqualTo(FILE));
    return e.errors();
  }

  /** Parses a file expected to hold exactly one error, and returns it. */
  private static TaskError onlyError(String yaml) {
    List<TaskError> errors = errors(yaml);
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  private static void assertError(TaskError error, int line, String field, String text) {
    assertThat(error.line()).as("line of %s", error).isEqualTo(line);
    assertThat(error.field()).as("field of %s", error).isEqualTo(field);
    assertThat(error.message()).as("message of %s", error).contains(text);
  }

  @Test
  void parsesEveryField() {
    List<TaskDefinition> tasks = YamlTaskSource.parse(FILE, """
        # a comment
        - name: full
          triggers:
            - example.step.1
            - example.*.2
          command: echo "HELLO"
          log: $HOME/angora/logs/
          messages:
            - example.step.2
          replay: 3
          parent_success: true
          timeout: 10m
          env:
            KEY: value
            NUMBER: 42
            FLAG: yes
        - name: minimal
          triggers: only.one
          command: "false"
        """);
    assertThat(tasks).hasSize(2);
    TaskDefinition full = tasks.get(0);
    assertThat(full.name()).isEqualTo("full");
    assertThat(full.triggers()).containsExactly("example.step.1", "example.*.2");
    assertThat(full.command()).isEqualTo("echo \"HELLO\"");
    assertThat(full.log()).isEqualTo("$HOME/angora/logs/");
    assertThat(full.messages()).containsExactly("example.step.2");
    assertThat(full.replay()).isEqualTo(3);
    assertThat(full.parentSuccess()).isTrue();
    assertThat(full.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(full.env()).isEqualTo(Map.of("KEY", "value", "NUMBER", "42", "FLAG", "yes"));
    assertThat(full.origin()).isEqualTo(FILE + ":2");

    TaskDefinition minimal = tasks.get(1);
    assertThat(minimal.triggers()).containsExactly("only.one");
    assertThat(minimal.command()).isEqualTo("false");
    assertThat(minimal.log()).isNull();
    assertThat(minimal.messages()).isEmpty();
    assertThat(minimal.replay()).isEqualTo(TaskDefinition.UNLIMITED_REPLAY);
    assertThat(minimal.parentSuccess()).isFalse();
    assertThat(minimal.timeout()).isNull();
    assertThat(minimal.env()).isEmpty();
    assertThat(minimal.origin()).isEqualTo(FILE + ":17");
  }

  @Test
  void acceptsTheOriginalReadmeExampleAsWritten() {
    List<TaskDefinition> tasks = YamlTaskSource.parse(FILE, """
        -   name: example_job
            triggers:
                -   shell.print.env
            command: "env"
            log: "$HOME/angora/logs/"
            messages:
                -   shell.print.message.test
        """);
    assertThat(tasks).singleElement().satisfies(t -> {
      assertThat(t.command()).isEqualTo("env");
      assertThat(t.messages()).containsExactly("shell.print.message.test");
    });
  }

  @ParameterizedTest
  @CsvSource({"True,true", "False,false", "true,true", "false,false", "TRUE,true"})
  void acceptsBooleansAsTheOriginalWroteThem(String written, boolean expected) {
    List<TaskDefinition> tasks = YamlTaskSource.parse(FILE,
        "- {name: a, triggers: x, command: c, parent_success: " + written + "}\n");
    assertThat(tasks.get(0).parentSuccess()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S", "30s,PT30S", "10m,PT10M", "2h,PT2H", "45,PT45S", "'\"15s\"',PT15S"})
  void parsesTimeouts(String written, String expected) {
    List<TaskDefinition> tasks = YamlTaskSource.parse(FILE,
        "- {name: a, triggers: x, command: c, timeout: " + written + "}\n");
    assertThat(tasks.get(0).timeout()).isEqualTo(Duration.parse(expected));
  }

  @Test
  void replayZeroMeansNever() {
    assertThat(YamlTaskSource.parse(FILE, "- {name: a, triggers: x, command: c, replay: 0}")
        .get(0).replay()).isZero();
  }

  @Test
  void emptyFileAndCommentOnlyFileHoldNoTasks() {
    assertThat(YamlTaskSource.parse(FILE, "")).isEmpty();
    assertThat(YamlTaskSource.parse(FILE, "# nothing yet\n\n")).isEmpty();
    assertThat(YamlTaskSource.parse(FILE, "[]\n")).isEmpty();
  }

  @Test
  void unknownKeyWithHint() {
    TaskError error = onlyError("""
        - name: a
          triggers: [x]
          commmand: echo hi
          command: echo hi
        """);
    assertError(error, 3, "commmand", "unknown key; did you mean 'command'?");
    assertThat(error.message()).contains("task 'a'");
  }

  @Test
  void unknownKeyWithoutCloseMatchListsTheKnownKeys() {
    assertError(onlyError("- {name: a, triggers: x, command: c, colour: red}"),
        1, "colour", "known keys: name, triggers, command");
  }

  @Test
  void keyGivenTwice() {
    assertError(onlyError("""
        - name: a
          triggers: x
          command: c
          command: d
        """), 4, "command", "key given twice (also on line 3)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{triggers: x, command: c}|name",
      "{name: a, command: c}|triggers",
      "{name: a, triggers: x}|command"})
  void missingRequiredField(String task, String field) {
    assertError(onlyError("- " + task + "\n"), 1, field, "missing required field");
  }

  @Test
  void emptyRequiredFields() {
    List<TaskError> errors = errors("""
        - name: a
          triggers: []
          command: ""
        - name:
          triggers: x
          command: c
        """);
    assertThat(errors).hasSize(3);
    assertError(errors.get(0), 2, "triggers", "needs at least one entry");
    assertError(errors.get(1), 3, "command", "must not be empty");
    assertError(errors.get(2), 4, "name", "expected text, found an empty value");
  }

  @Test
  void wrongTypes() {
    List<TaskError> errors = errors("""
        - name: a
          triggers: {x: y}
          command: [echo, hi]
          log: [a]
          messages: [[nested]]
          replay: three
          parent_success: maybe
          timeout: 10 minutes
          env: [A, B]
        """);
    assertThat(errors).hasSize(8);
    assertError(errors.get(0), 2, "triggers", "expected text, found a mapping");
    assertError(errors.get(1), 3, "command", "expected text, found a list");
    assertError(errors.get(2), 4, "log", "expected text, found a list");
    assertError(errors.get(3), 5, "messages[0]", "expected text, found a list");
    assertError(errors.get(4), 6, "replay", "expected a whole number");
    assertError(errors.get(5), 7, "parent_success", "expected true or false, found 'maybe'");
    assertError(errors.get(6), 8, "timeout", "expected a positive duration");
    assertError(errors.get(7), 9, "env", "expected a mapping");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "replay: -1|replay|expected a whole number, 0 or more",
      "replay: '3'|replay|expected a whole number",
      "parent_success: 'true'|parent_success|expected true or false",
      "parent_success: yes|parent_success|expected true or false",
      "timeout: 0|timeout|expected a positive duration",
      "timeout: 0s|timeout|expected a positive duration",
      "timeout: 1.5s|timeout|expected a positive duration",
      "env: {1BAD: x}|env|'1BAD' is not a variable name",
      "env: {GOOD: [x]}|env.GOOD|expected text, found a list",
      "env: {GOOD: }|env.GOOD|expected text, found an empty value",
      "log: ''|log|must not be empty",
      "name: a/b|name|must not contain '/'"})
  void wrongValues(String line, String field, String text) {
    String yaml = "- triggers: x\n  command: c\n  " + line + "\n";
    if (!line.startsWith("name:")) {
      yaml = "- name: a\n  triggers: x\n  command: c\n  " + line + "\n";
    }
    TaskError error = onlyError(yaml);
    assertError(error, line.startsWith("name:") ? 3 : 4, field, text);
  }

  @Test
  void invalidTriggersAndMessages() {
    List<TaskError> errors = errors("""
        - name: a
          triggers:
            - good.one
            - bad..word
            - half*
          command: c
          messages: [fine, with.*.wildcard, ".leading"]
        """);
    assertThat(errors).hasSize(4);
    assertError(errors.get(0), 4, "triggers[1]", "trigger 'bad..word' has an empty word");
    assertError(errors.get(1), 5, "triggers[2]", "'*' and '#' are wildcards only as whole");
    assertError(errors.get(2), 7, "messages[1]", "contains the wildcard '*'");
    assertError(errors.get(3), 7, "messages[2]", "starts with a dot");
  }

  @Test
  void duplicateNameInOneFileNamesBothPlaces() {
    List<TaskError> errors = errors("""
        - {name: twin, triggers: x, command: c}
        - {name: other, triggers: x, command: c}
        - {name: twin, triggers: y, command: d}
        """);
    assertThat(errors).singleElement().satisfies(e -> {
      assertError(e, 3, "name", "duplicate task name 'twin'");
      assertThat(e.message()).contains("first defined at " + FILE + ":1");
    });
  }

  @Test
  void fileThatIsNotAListOfTasks() {
    assertError(onlyError("name: a\ntriggers: x\ncommand: c\n"), 1, "",
        "expected a list of tasks, each starting with '- name:', found a mapping");
  }

  @Test
  void entryThatIsNotAMapping() {
    List<TaskError> errors = errors("""
        - {name: a, triggers: x, command: c}
        - just a string
        - [a, list]
        """);
    assertThat(errors).hasSize(2);
    assertError(errors.get(0), 2, "", "task 2 is the text 'just a string'");
    assertError(errors.get(1), 3, "", "task 3 is a list");
  }

  @Test
  void yamlSyntaxErrorGivesItsLine() {
    assertError(onlyError("""
        - name: a
          triggers: [x
          command: c
        - name: b
        """), 3, "", "YAML syntax error: while parsing a flow sequence");
  }

  @Test
  void badIndentationIsASyntaxError() {
    TaskError error = onlyError("- name: a\n  triggers: x\n   command: c\n");
    assertThat(error.line()).isEqualTo(3);
    assertThat(error.message()).startsWith("YAML syntax error");
  }

  @Test
  void severalDocumentsInOneFileAreRejected() {
    assertError(onlyError("- {name: a, triggers: x, command: c}\n---\n- {name: b, triggers: "
        + "y, command: c}\n"), 2, "", "expected a single document");
  }

  @Test
  void aliasBombIsRejected() {
    StringBuilder yaml = new StringBuilder("- name: bomb\n  triggers: x\n  command: c\n");
    yaml.append("  env: &a0 {A: x}\n");
    for (int i = 1; i <= 10; i++) {
      String ref = "*a" + (i - 1);
      yaml.append("- &a").append(i).append(" [")
          .append(String.join(", ", ref, ref, ref, ref, ref, ref, ref, ref, ref, ref))
          .append("]\n");
    }
    TaskError error = errors(yaml.toString()).get(0);
    assertThat(error.message()).contains("aliases");
    assertThat(error.field()).isEmpty();
  }

  @Test
  void collectsEveryErrorOfAFileInLineOrder() {
    List<TaskError> errors = errors("""
        - name: a
          triggers: x
        - name: b
          triggers: y
          command: c
          retry: 3
        - name: c
          command: d
          replay: -2
        """);
    assertThat(errors).extracting(TaskError::line).containsExactly(1, 6, 7, 9);
    assertThat(errors).extracting(TaskError::field)
        .containsExactly("command", "retry", "triggers", "replay");
    assertThat(errors.get(1).message()).contains("did you mean 'replay'?");
  }

  @Test
  void errorFormatsAsFileLineFieldMessage() {
    assertThat(onlyError("- {name: a, triggers: x, commmand: c, command: c}").toString())
        .isEqualTo(FILE + ":1: commmand: task 'a': unknown key; did you mean 'command'?");
  }
}
