package io.angora.engine.internal.live;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.JobEvent;
import io.angora.api.OutputChunk;
import io.angora.api.OutputChunk.Stream;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RemoteOutputsTest {
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final RemoteOutputs outputs = new RemoteOutputs(1024, 2, ended::contains);

  private static JobEvent.JobOutput output(String runId, OutputChunk... chunks) {
    return new JobEvent.JobOutput(runId, "t", List.of(chunks), "w", Instant.EPOCH);
  }

  private static OutputChunk chunk(Stream stream, long offset, String text) {
    return new OutputChunk(stream, offset, text.getBytes(UTF_8));
  }

  @Test
  void keepsEachStreamInOrderAndSkipsBytesAlreadyKept() {
    outputs.accept(output("r", chunk(Stream.STDOUT, 0, "first\n"),
        chunk(Stream.STDERR, 6, "oops\n")));
    outputs.accept(output("r", chunk(Stream.STDERR, 6, "oops\n"))); // a second copy
    outputs.accept(output("r", chunk(Stream.STDERR, 9, "s\nsec"))); // overlaps the end
    outputs.accept(output("r", chunk(Stream.STDOUT, 14, "ond\n")));

    OutputSnapshot snapshot = outputs.liveOutput("r").orElseThrow();
    assertThat(snapshot.text()).isEqualTo("first\noops\nsecond\n");
    assertThat(snapshot.text(Stream.STDOUT)).isEqualTo("first\nond\n");
    assertThat(snapshot.text(Stream.STDERR)).isEqualTo("oops\nsec");
    assertThat(snapshot.written()).isEqualTo(18);
    assertThat(snapshot.dropped()).isZero();
  }

  @Test
  void aJumpInOffsetsIsCountedAsDroppedAndFollowersSeeIt() {
    List<OutputChunk> seen = new CopyOnWriteArrayList<>();
    outputs.accept(output("r", chunk(Stream.STDOUT, 0, "a")));
    outputs.followOutput("r", seen::add).orElseThrow();
    outputs.accept(output("r", chunk(Stream.STDOUT, 100, "b")));

    assertThat(seen).containsExactly(chunk(Stream.STDOUT, 0, "a"),
        chunk(Stream.STDOUT, 100, "b"));
    OutputSnapshot snapshot = outputs.liveOutput("r").orElseThrow();
    assertThat(snapshot.written()).isEqualTo(101);
    assertThat(snapshot.dropped()).isEqualTo(100);
    assertThat(snapshot.text()).isEqualTo("b");
  }

  @Test
  void theEndOfARunEndsItsFollowersAndLaterChunksAreIgnored() {
    List<String> calls = new CopyOnWriteArrayList<>();
    outputs.accept(output("r", chunk(Stream.STDOUT, 0, "a")));
    outputs.followOutput("r", new OutputListener() {
      @Override
      public void onChunk(OutputChunk chunk) {
        calls.add(chunk.text());
      }

      @Override
      public void onEnd() {
        calls.add("<end>");
      }
    }).orElseThrow();

    outputs.end("r");
    outputs.accept(output("r", chunk(Stream.STDOUT, 1, "late")));

    assertThat(calls).containsExactly("a", "<end>");
    assertThat(outputs.liveOutput("r")).isEmpty();
    assertThat(outputs.followOutput("r", c -> { })).isEmpty();
    assertThat(outputs.size()).isZero();
  }

  @Test
  void whenFullEndedRunsMakeRoomAndOtherwiseANewRunGetsNoTail() {
    outputs.accept(output("r1", chunk(Stream.STDOUT, 0, "1")));
    outputs.accept(output("r2", chunk(Stream.STDOUT, 0, "2")));
    outputs.accept(output("r3", chunk(Stream.STDOUT, 0, "3")));
    assertThat(outputs.liveOutput("r3")).isEmpty();

    ended.add("r1"); // its end was missed; the store knows
    outputs.accept(output("r3", chunk(Stream.STDOUT, 0, "3")));
    assertThat(outputs.liveOutput("r3").orElseThrow().text()).isEqualTo("3");
    assertThat(outputs.liveOutput("r1")).isEmpty();
    assertThat(outputs.size()).isEqualTo(2);
  }
}
