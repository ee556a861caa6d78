package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int angora(String... argv) {
    out.reset();
    err.reset();
    return Main.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyCommandAnswersHelpAndDashHWithItsOwnUsage() {
    for (String command : List.of("run", "send", "check", "coordinator", "worker")) {
      for (String help : List.of("--help", "-h")) {
        assertThat(angora(command, help)).as("%s %s", command, help).isZero();
        assertThat(out()).startsWith("usage: angora " + command);
      }
    }
    assertThat(angora("-h")).isZero();
    assertThat(out()).contains("run [").contains("worker --amqp");
    assertThat(angora("help", "worker")).isZero();
    assertThat(out()).startsWith("usage: angora worker");
    // After "--" it is a message, not a request for help.
    assertThat(angora("send", "--url", "http://127.0.0.1:1", "--", "-h")).isEqualTo(1);
  }

  @Test
  void theUsageShowsTheDefaults() {
    int cpus = Math.max(2, Runtime.getRuntime().availableProcessors());
    angora("--help");
    assertThat(out()).contains("--concurrency " + cpus).contains("max(2, CPUs) = " + cpus)
        .contains("--grace 30").contains("--store angora.db").contains("--port 8080")
        .contains("--bind 127.0.0.1").contains("ANGORA_URL");
    angora("coordinator", "--help");
    assertThat(out()).contains("--store angora.db").contains("--port 8080")
        .contains("--no-http").contains("--heartbeat 5").contains("--lease 15");
  }

  @Test
  void aUsageErrorShowsTheCommandsUsage() {
    assertThat(angora("check", "--colour", "blue")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --colour")
        .contains("usage: angora check").doesNotContain("worker --amqp");
    assertThat(angora()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: angora <command>");
  }
}
