package io.angora.engine.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Job;
import io.angora.api.Message;
import io.angora.api.TaskDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobEnvironmentTest {
  private static final Map<String, String> WORKER = Map.of(
      "PATH", "/usr/bin",
      "ANGORA_TOKEN", "t0ken",
      "ANGORA_TOKEN_FILE", "/etc/angora/token",
      "ANGORA_AMQP_URI", "amqp://angora:s3cret@broker/",
      "ANGORA_AMQP_PASSWORD_FILE", "/etc/angora/amqp",
      "ANGORA_DB_PASSWORD", "pw",
      "ANGORA_SECRET_FILE", "/etc/angora/secret",
      "ANGORA_JDBC_URL", "jdbc:postgresql://db/angora?password=pw",
      "ANGORA_HOME", "/opt/angora");

  private static Map<String, String> fill(TaskDefinition task) {
    LaunchSettings settings = new LaunchSettings(100, Map.of("EXTRA_TOKEN", "given"), Map.of(),
        true, null, Duration.ZERO, Clock.systemUTC(), Runnable::run);
    Message message = new Message("m", "demo.go", null, "wf", null, null, Instant.EPOCH);
    return JobEnvironment.fill(new HashMap<>(WORKER), settings, new Job("run-1", task, message, 1));
  }

  @Test
  void jobsDoNotInheritAngorasSecrets() {
    Map<String, String> environment =
        fill(TaskDefinition.builder("t").triggers("demo.go").command("env").build());

    assertThat(environment).doesNotContainKeys("ANGORA_TOKEN", "ANGORA_TOKEN_FILE",
        "ANGORA_AMQP_URI", "ANGORA_AMQP_PASSWORD_FILE", "ANGORA_DB_PASSWORD",
        "ANGORA_SECRET_FILE", "ANGORA_JDBC_URL");
    assertThat(environment).containsEntry("PATH", "/usr/bin")
        .containsEntry("ANGORA_HOME", "/opt/angora")
        .containsEntry("EXTRA_TOKEN", "given")
        .containsEntry("ANGORA_TASK", "t").containsEntry("ANGORA_RUN_ID", "run-1")
        .containsEntry("ANGORA_WORKFLOW_ID", "wf");
  }

  @Test
  void aTaskPassesTheSecretItNeedsThroughItsEnv() {
    Map<String, String> environment = fill(TaskDefinition.builder("t").triggers("demo.go")
        .command("env").env("BROKER", "$ANGORA_AMQP_URI").build());

    assertThat(environment).containsEntry("BROKER", "amqp://angora:s3cret@broker/")
        .doesNotContainKey("ANGORA_AMQP_URI");
  }

  @Test
  void withholdsOnlyAngorasSecretNames() {
    assertThat(JobEnvironment.isWithheld("ANGORA_TOKEN")).isTrue();
    assertThat(JobEnvironment.isWithheld("ANGORA_AMQP_URI")).isTrue();
    assertThat(JobEnvironment.isWithheld("ANGORA_WORKER_PASSWORD")).isTrue();
    assertThat(JobEnvironment.isWithheld("ANGORA_RUN_ID")).isFalse();
    assertThat(JobEnvironment.isWithheld("ANGORA_WORKFLOW_ID")).isFalse();
    assertThat(JobEnvironment.isWithheld("MY_TOKEN")).isFalse();
    assertThat(JobEnvironment.isWithheld("ANGORA_HOME")).isFalse();
  }
}
