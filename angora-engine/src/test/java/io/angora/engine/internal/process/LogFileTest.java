package io.angora.engine.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LogFileTest {

  @Test
  void namesTheFileAfterTheTaskInsideTheDirectory() {
    assertThat(LogFile.resolve("/var/log/angora/", "step_1", null))
        .isEqualTo(Path.of("/var/log/angora/step_1.log"));
    assertThat(LogFile.resolve("/var/log/./angora/x/..", "a.b", null))
        .isEqualTo(Path.of("/var/log/angora/a.b.log"));
  }

  @Test
  void resolvesARelativeDirectoryAgainstTheWorkingDirectory() {
    assertThat(LogFile.resolve("logs", "t", Path.of("/srv/jobs")))
        .isEqualTo(Path.of("/srv/jobs/logs/t.log"));
    assertThat(LogFile.resolve("/abs", "t", Path.of("/srv/jobs")))
        .isEqualTo(Path.of("/abs/t.log"));
  }

  @Test
  void refusesNamesThatCouldLeaveTheDirectory() {
    for (String name : new String[] {"../up", "a/b", "..", "x..y"}) {
      assertThatThrownBy(() -> LogFile.resolve("/logs", name, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("task '" + name + "': cannot log to '/logs'");
    }
  }
}
