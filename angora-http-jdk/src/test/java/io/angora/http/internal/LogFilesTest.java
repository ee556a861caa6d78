package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
  @TempDir Path root;

  private static TaskDefinition task(String name, String log) {
    return TaskDefinition.builder(name).triggers("a").command("true").log(log).build();
  }

  @Test
  void readsTheTailOfTheTasksOwnLog() throws Exception {
    Path logs = Files.createDirectories(root.resolve("logs"));
    Files.writeString(logs.resolve("job.log"), "0123456789");
    LogFiles files = new LogFiles(Map.of("LOGS", logs.toString()), 4);
    assertThat(files.tail(task("job", "$LOGS"))).hasValue("6789");
    assertThat(files.tail(task("job", "${LOGS}/"))).hasValue("6789");
    assertThat(files.tail(task("other", "$LOGS"))).isEmpty();
    assertThat(files.tail(TaskDefinition.builder("job").triggers("a").command("true").build()))
        .isEmpty();
  }

  @Test
  void aTaskNameCannotLeaveTheLogDirectory() throws Exception {
    Path logs = Files.createDirectories(root.resolve("logs"));
    Files.writeString(root.resolve("secret.log"), "secret");
    Files.createDirectories(logs.resolve("sub"));
    Files.writeString(logs.resolve("sub").resolve("x.log"), "nested");
    LogFiles files = new LogFiles(Map.of(), 1000);
    assertThat(files.tail(task("../secret", logs.toString()))).isEmpty();
    assertThat(files.tail(task("sub/x", logs.toString()))).isEmpty();
  }

  @Test
  void aSymlinkOutOfTheDirectoryIsNotFollowed() throws Exception {
    Path logs = Files.createDirectories(root.resolve("logs"));
    Path secret = Files.writeString(root.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(logs.resolve("job.log"), secret);
    assertThat(new LogFiles(Map.of(), 1000).tail(task("job", logs.toString()))).isEmpty();
  }
}
