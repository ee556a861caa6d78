package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.amqp.AmqpTestBroker;
import io.angora.amqp.BrokerConsumerTimeout;
import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job longer than the broker's {@code consumer_timeout} completes once: the worker
 * acknowledges its delivery when its start report is confirmed, and the coordinator's lease,
 * renewed by heartbeats, covers the rest. On RabbitMQ before 3.12 (no per-consumer timeout) the
 * broker's own timeout is lowered to 5 s for the test and restored afterwards.
 */
class LongJobIT {
  @TempDir
  Path dir;
  private final String prefix = AmqpTestBroker.uniquePrefix("longjob");

  @BeforeAll
  static void broker() {
    AmqpTestBroker.assumeAvailable();
  }

  @AfterEach
  void cleanUp() {
    AmqpTestBroker.deleteQueues(prefix);
  }

  @Test
  void aJobLongerThanTheConsumerTimeoutCompletesOnce() throws Exception {
    Path executions = dir.resolve("executions");
    Path script = dir.resolve("long.sh");
    Files.writeString(script, "echo \"$ANGORA_RUN_ID\" >> \"" + executions + "\"\nsleep 15\n");
    TaskDefinition task = TaskDefinition.builder("long").triggers("long.go")
        .command("sh " + script).replay(1).build();
    try (BrokerConsumerTimeout lowered = BrokerConsumerTimeout.lower(Duration.ofSeconds(5));
        Angora coordinator = Angora.builder().role(Role.COORDINATOR).task(task)
            .heartbeat(Duration.ofMillis(500))
            .transport(AmqpTestBroker.transport(prefix, "coordinator")).build();
        Angora worker = Angora.builder().role(Role.WORKER).workerName("patient").concurrency(1)
            .heartbeat(Duration.ofMillis(500))
            .transport(AmqpTestBroker.transport(prefix, "patient")).build()) {
      coordinator.start();
      worker.start();
      coordinator.send("long.go");

      await().atMost(Duration.ofSeconds(90)).until(() -> runs(coordinator).stream()
          .anyMatch(r -> r.status().isFinal()));
      assertThat(coordinator.awaitIdle(Duration.ofSeconds(10))).isTrue();
      List<Run> runs = runs(coordinator);
      assertThat(runs).hasSize(1);
      Run run = runs.get(0);
      assertThat(run.status()).as(run.reason()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.finishedAt()).isAfter(run.startedAt().plusSeconds(14));
      assertThat(Files.readAllLines(executions)).containsExactly(run.id());
    }
  }

  private static List<Run> runs(Angora coordinator) {
    return coordinator.runs().query(RunQuery.newest(100)).runs();
  }
}
