package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.angora.api.TaskDefinition;
import io.angora.api.TaskError;
import io.angora.api.TaskLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task source over a directory: which files, their order, errors across files. */
class YamlTaskSourceTest {
  @TempDir Path dir;

  private void write(String name, String yaml) throws IOException {
    Files.writeString(dir.resolve(name), yaml);
  }

  private List<TaskError> loadErrors() {
    TaskLoadException e = catchThrowableOfType(TaskLoadException.class,
        () -> YamlTaskSource.directory(dir).load());
    assertThat(e).as("expected a TaskLoadException").isNotNull();
    return e.errors();
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void readsYmlAndYamlFilesInNameOrder() throws IOException {
    write("b.yml", "- {name: from_b, triggers: b, command: c}\n");
    write("a.yaml", "- {name: from_a, triggers: a, command: c}\n");
    write("c.yml", "- {name: from_c1, triggers: c, command: c}\n"
        + "- {name: from_c2, triggers: c, command: c}\n");
    List<TaskDefinition> tasks = YamlTaskSource.directory(dir).load();
    assertThat(tasks).extracting(TaskDefinition::name)
        .containsExactly("from_a", "from_b", "from_c1", "from_c2");
    assertThat(tasks.get(3).origin()).isEqualTo(file("c.yml") + ":2");
  }

  @Test
  void skipsReservedHiddenOtherFilesAndSubdirectories() throws IOException {
    write("tasks.yml", "- {name: kept, triggers: a, command: c}\n");
    write("schedules.yml", "- this is for schedules, not tasks\n");
    write(".#tasks.yml", "not yaml: [");
    write("notes.txt", "not yaml: [");
    write("tasks.yml~", "not yaml: [");
    Files.createDirectories(dir.resolve("sub.yml"));
    Files.createDirectories(dir.resolve("nested"));
    Files.writeString(dir.resolve("nested/deep.yml"), "- {name: deep, triggers: a, command: c}");
    assertThat(YamlTaskSource.directory(dir).load()).extracting(TaskDefinition::name)
        .containsExactly("kept");
  }

  @Test
  void emptyDirectoryAndEmptyFilesHoldNoTasks() throws IOException {
    assertThat(YamlTaskSource.directory(dir).load()).isEmpty();
    write("empty.yml", "");
    write("comments.yml", "# to do\n");
    assertThat(YamlTaskSource.directory(dir).load()).isEmpty();
  }

  @Test
  void missingDirectoryIsAnErrorNamingIt() {
    Path missing = dir.resolve("nowhere");
    TaskLoadException e = catchThrowableOfType(TaskLoadException.class,
        () -> YamlTaskSource.directory(missing).load());
    assertThat(e.errors()).singleElement().satisfies(error -> {
      assertThat(error.file()).isEqualTo(missing.toString());
      assertThat(error.message()).contains("does not exist");
    });
    assertThat(e.getMessage()).contains(missing.toString());
  }

  @Test
  void aFileInsteadOfADirectoryIsAnError() throws IOException {
    write("plain.yml", "");
    TaskLoadException e = catchThrowableOfType(TaskLoadException.class,
        () -> YamlTaskSource.directory(dir.resolve("plain.yml")).load());
    assertThat(e.errors()).singleElement()
        .satisfies(error -> assertThat(error.message()).contains("not a directory"));
  }

  @Test
  void duplicateNameAcrossFilesNamesBothPlaces() throws IOException {
    write("a.yml", "- {name: shared, triggers: a, command: c}\n");
    write("b.yml", "- {name: other, triggers: b, command: c}\n"
        + "- {name: shared, triggers: b, command: c}\n");
    assertThat(loadErrors()).singleElement().satisfies(error -> {
      assertThat(error.file()).isEqualTo(file("b.yml"));
      assertThat(error.line()).isEqualTo(2);
      assertThat(error.field()).isEqualTo("name");
      assertThat(error.message()).contains("duplicate task name 'shared'",
          "first defined at " + file("a.yml") + ":1");
    });
  }

  @Test
  void reportsEveryErrorOfEveryFileTogetherInFileAndLineOrder() throws IOException {
    write("a.yml", """
        - name: a1
          triggers: x
          commmand: c
        - name: a2
          triggers: bad..trigger
          command: c
        """);
    write("b.yml", "- name: b1\n  triggers: [x\n");
    write("c.yml", "- {name: fine, triggers: x, command: c}\n");
    write("d.yml", "- {name: d1, triggers: x, command: c, replay: lots}\n");
    List<TaskError> errors = loadErrors();
    assertThat(errors).extracting(e -> e.file().substring(dir.toString().length() + 1),
            TaskError::line, TaskError::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a.yml", 1, "command"),
            org.assertj.core.groups.Tuple.tuple("a.yml", 3, "commmand"),
            org.assertj.core.groups.Tuple.tuple("a.yml", 5, "triggers"),
            org.assertj.core.groups.Tuple.tuple("b.yml", 3, ""),
            org.assertj.core.groups.Tuple.tuple("d.yml", 1, "replay"));
  }

  @Test
  void aFailedLoadReturnsNothingAndCarriesAllErrors() throws IOException {
    write("good.yml", "- {name: good, triggers: a, command: c}\n");
    YamlTaskSource source = YamlTaskSource.directory(dir);
    assertThat(source.load()).hasSize(1);
    write("bad.yml", "- {name: bad, triggers: a}\n- {name: worse, command: c}\n");
    TaskLoadException e = catchThrowableOfType(TaskLoadException.class, source::load);
    assertThat(e.errors()).extracting(TaskError::field).containsExactly("command", "triggers");
    assertThat(e.getMessage()).startsWith("2 errors in tasks:")
        .contains(file("bad.yml") + ":1: command: task 'bad': missing required field");
  }

  @Test
  void unreadableTextIsAnErrorNamingTheFile() throws IOException {
    Files.write(dir.resolve("latin1.yml"), "- {name: caf\u00e9, triggers: a, command: c}"
        .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(loadErrors()).singleElement().satisfies(error -> {
      assertThat(error.file()).isEqualTo(file("latin1.yml"));
      assertThat(error.message()).contains("not valid UTF-8");
    });
  }

  @Test
  void describesItsDirectory() {
    assertThat(YamlTaskSource.directory(dir).description()).contains(dir.toString());
    assertThat(YamlTaskSource.directory(dir).directory()).isEqualTo(dir);
  }
}
