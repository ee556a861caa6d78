package io.angora.engine.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

  private static void write(OutputTail tail, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    tail.write(bytes, 0, bytes.length);
  }

  @Test
  void keepsEverythingBelowTheLimit() {
    OutputTail tail = new OutputTail(100);
    write(tail, "hello ");
    write(tail, "world");
    assertThat(tail).hasToString("hello world");
    assertThat(tail.written()).isEqualTo(11);
  }

  @Test
  void keepsTheNewestBytesAcrossManyWrites() {
    OutputTail tail = new OutputTail(10);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      write(tail, i + ",");
      all.append(i).append(',');
    }
    assertThat(tail).hasToString(all.substring(all.length() - 10));
    assertThat(tail.written()).isEqualTo(all.length());
  }

  @Test
  void growsPastItsInitialSizeUpToTheLimit() {
    OutputTail tail = new OutputTail(10_000);
    String chunk = "0123456789".repeat(300);
    write(tail, chunk);
    write(tail, chunk);
    write(tail, chunk);
    write(tail, chunk);
    String all = chunk.repeat(4);
    assertThat(tail.toString()).isEqualTo(all.substring(all.length() - 10_000));
  }

  @Test
  void aWriteLargerThanTheLimitKeepsItsEnd() {
    OutputTail tail = new OutputTail(4);
    write(tail, "ab");
    write(tail, "cdefgh");
    assertThat(tail).hasToString("efgh");
  }

  @Test
  void dropsACharacterCutInTwoAtTheStart() {
    OutputTail tail = new OutputTail(4);
    write(tail, "xxé€"); // é is 2 bytes, € is 3: the tail keeps the second byte of é
    assertThat(tail).hasToString("€");
  }
}
