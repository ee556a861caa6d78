package io.angora.engine.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.OutputChunk;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import io.angora.api.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  private static void write(OutputTail tail, OutputChunk.Stream stream, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    tail.write(stream, bytes, 0, bytes.length);
  }

  @Test
  void keepsWhichStreamEachPartCameFromInOrder() {
    OutputTail tail = new OutputTail(100);
    write(tail, OutputChunk.Stream.STDOUT, "a");
    write(tail, OutputChunk.Stream.STDOUT, "b");
    write(tail, OutputChunk.Stream.STDERR, "E");
    write(tail, OutputChunk.Stream.STDOUT, "c");

    OutputSnapshot snapshot = tail.snapshot("r");

    assertThat(snapshot.chunks()).containsExactly(
        new OutputChunk(OutputChunk.Stream.STDOUT, 0, "ab".getBytes(StandardCharsets.UTF_8)),
        new OutputChunk(OutputChunk.Stream.STDERR, 2, "E".getBytes(StandardCharsets.UTF_8)),
        new OutputChunk(OutputChunk.Stream.STDOUT, 3, "c".getBytes(StandardCharsets.UTF_8)));
    assertThat(snapshot.text()).isEqualTo("abEc");
    assertThat(tail).hasToString("abEc");
  }

  @Test
  void dropsTheOldestPartsAndTheirMarksBeyondTheLimit() {
    OutputTail tail = new OutputTail(5);
    for (int i = 0; i < 1000; i++) {
      write(tail, i % 2 == 0 ? OutputChunk.Stream.STDOUT : OutputChunk.Stream.STDERR, "xy");
    }
    write(tail, OutputChunk.Stream.STDERR, "err");

    OutputSnapshot snapshot = tail.snapshot("r");

    assertThat(snapshot.written()).isEqualTo(2003);
    assertThat(snapshot.dropped()).isEqualTo(1998);
    assertThat(snapshot.text()).isEqualTo("xyerr");
    assertThat(snapshot.chunks()).extracting(OutputChunk::stream)
        .containsExactly(OutputChunk.Stream.STDERR); // the last "xy" was stderr too
  }

  @Test
  void aFollowerGetsTheKeptOutputThenEachWriteThenTheEnd() {
    OutputTail tail = new OutputTail(100);
    write(tail, OutputChunk.Stream.STDOUT, "before");
    List<String> seen = new ArrayList<>();
    Subscription following = tail.follow(new OutputListener() {
      @Override
      public void onChunk(OutputChunk chunk) {
        seen.add(chunk.stream() + ":" + chunk.text() + "@" + chunk.offset());
      }

      @Override
      public void onEnd() {
        seen.add("end");
      }
    });
    write(tail, OutputChunk.Stream.STDERR, "during");
    tail.end();
    write(tail, OutputChunk.Stream.STDOUT, "after");
    following.close();

    assertThat(seen).containsExactly("STDOUT:before@0", "STDERR:during@6", "end");
  }

  @Test
  void aFollowerThatThrowsIsLetGoAndTheWritesGoOn() {
    OutputTail tail = new OutputTail(100);
    List<String> seen = new ArrayList<>();
    tail.follow(chunk -> {
      throw new IllegalStateException("slow reader");
    });
    tail.follow(chunk -> seen.add(chunk.text()));
    write(tail, "one");
    write(tail, "two");

    assertThat(seen).containsExactly("one", "two");
    assertThat(tail).hasToString("onetwo");
  }
}
