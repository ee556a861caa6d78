package io.angora.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.OutputChunk.Stream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutputDecoderTest {

  @Test
  void aCharacterSplitAcrossChunksShowsWhole() {
    byte[] text = "a€b😀c".getBytes(UTF_8); // € is 3 bytes, 😀 is 4
    for (int cut = 0; cut <= text.length; cut++) {
      for (int cut2 = cut; cut2 <= text.length; cut2++) {
        OutputDecoder decoder = new OutputDecoder();
        String got = decoder.decode(Stream.STDOUT, Arrays.copyOfRange(text, 0, cut))
            + decoder.decode(Stream.STDOUT, Arrays.copyOfRange(text, cut, cut2))
            + decoder.decode(Stream.STDOUT, Arrays.copyOfRange(text, cut2, text.length))
            + decoder.end(Stream.STDOUT);
        assertThat(got).as("cut at %d and %d", cut, cut2).isEqualTo("a€b😀c");
      }
    }
  }

  @Test
  void eachStreamCarriesItsOwnBytes() {
    byte[] euro = "€".getBytes(UTF_8);
    OutputDecoder decoder = new OutputDecoder();
    assertThat(decoder.decode(new OutputChunk(Stream.STDOUT, 0, new byte[] {euro[0]})))
        .isEmpty();
    assertThat(decoder.decode(new OutputChunk(Stream.STDERR, 1, "err".getBytes(UTF_8))))
        .isEqualTo("err");
    assertThat(decoder.decode(new OutputChunk(Stream.STDOUT, 4,
        new byte[] {euro[1], euro[2], '!'}))).isEqualTo("€!");
  }

  @Test
  void bytesHeldAtTheEndOrBeforeAGapShowAsOneReplacement() {
    OutputDecoder decoder = new OutputDecoder();
    assertThat(decoder.decode(Stream.STDOUT, new byte[] {'x', (byte) 0xe2, (byte) 0x82}))
        .isEqualTo("x");
    assertThat(decoder.end(Stream.STDOUT)).isEqualTo("\uFFFD");
    assertThat(decoder.decode(Stream.STDOUT, "ok".getBytes(UTF_8))).isEqualTo("ok");
    assertThat(decoder.end(Stream.STDERR)).isEmpty();
  }

  @Test
  void invalidBytesShowAsReplacementsAndDecodingGoesOn() {
    OutputDecoder decoder = new OutputDecoder();
    assertThat(decoder.decode(Stream.STDOUT, new byte[] {'a', (byte) 0xff, 'b'}))
        .isEqualTo("a\uFFFDb");
  }
}
