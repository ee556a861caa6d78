package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmqpSendTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int angora(String... argv) {
    return Main.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void sendAnswersAnErrorWhenNoBrokerListens() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }

    int status = angora("send", "example.step.1", "--amqp",
        "amqp://guest:guest@127.0.0.1:" + port);

    assertThat(status).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("sent");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("cannot connect to the AMQP broker at amqp://guest:***@127.0.0.1:" + port);
  }

  @Test
  void sendNeedsExactlyOneMessage() {
    assertThat(angora("send", "--amqp", "amqp://localhost")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("exactly one message");
  }

  @Test
  void sendRefusesWhatEveryEntryPointRefusesBeforeConnecting() {
    // No broker and no server is needed: the rules are checked first.
    assertThat(angora("send", "a..b", "--amqp", "amqp://localhost:1")).isEqualTo(2);
    assertThat(angora("send", "ok", "--workflow", "../etc", "--url", "http://127.0.0.1:1"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("invalid message 'a..b': has an empty word")
        .contains("invalid workflow id '../etc'");
  }

  @Test
  void coordinatorAndWorkerRefuseToStartWithoutAGoodKey(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws IOException {
    // Checked before any connection: no broker needed.
    assertThat(angora("worker", "--amqp", "amqp://localhost:1")).isEqualTo(2);
    assertThat(angora("coordinator", "--amqp", "amqp://localhost:1", "--no-http")).isEqualTo(2);
    java.nio.file.Path open = dir.resolve("open.key");
    java.nio.file.Files.write(open, new byte[32]);
    java.nio.file.Files.setPosixFilePermissions(open,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(angora("worker", "--amqp", "amqp://localhost:1", "--secret-file",
        open.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("'worker' refuses to start without a shared key")
        .contains("'coordinator' refuses to start without a shared key")
        .contains("head -c 32 /dev/urandom > angora.key; chmod 600 angora.key")
        .contains("accessible to group or others");
  }
}
