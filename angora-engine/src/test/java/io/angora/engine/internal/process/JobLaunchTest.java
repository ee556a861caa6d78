package io.angora.engine.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobLaunchTest {

  @Test
  void describesDurationsTheWayTaskFilesWriteThem() {
    assertThat(JobLaunch.describe(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(JobLaunch.describe(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(JobLaunch.describe(Duration.ofSeconds(5400))).isEqualTo("1h30m");
    assertThat(JobLaunch.describe(Duration.ofSeconds(3661))).isEqualTo("1h1m1s");
    assertThat(JobLaunch.describe(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void wordsAFailureToStartWithoutTheJdkPrefix() {
    IOException plain = new IOException("Cannot run program \"nosuch\": error=2, No such file"
        + " or directory", new IOException("error=2, No such file or directory"));
    IOException inDirectory = new IOException("Cannot run program \"echo\" (in directory"
        + " \"/nowhere\"): error=2, No such file or directory",
        new IOException("error=2, No such file or directory"));

    assertThat(JobLaunch.cannotStart("nosuch", plain))
        .isEqualTo("cannot start 'nosuch': No such file or directory");
    assertThat(JobLaunch.cannotStart("echo", inDirectory))
        .isEqualTo("cannot start 'echo' in directory '/nowhere': No such file or directory");
  }
}
