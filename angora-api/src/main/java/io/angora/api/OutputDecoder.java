package io.angora.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes a job's output chunks as UTF-8 while they come, one stream at a time: the bytes of a
 * character cut by a chunk's end are kept back and decoded with the next chunk of the same
 * stream, so a multi-byte character split across two chunks shows whole, never as U+FFFD.
 * Invalid bytes show as U+FFFD. Not thread-safe: one decoder per reader of a job's output.
 */
public final class OutputDecoder {
  /** A UTF-8 character is at most 4 bytes: at most 3 are ever held back. */
  private static final int MAX_HELD = 3;

  private final Map<OutputChunk.Stream, CharsetDecoder> decoders =
      new EnumMap<>(OutputChunk.Stream.class);
  private final Map<OutputChunk.Stream, ByteBuffer> held = new EnumMap<>(OutputChunk.Stream.class);

  /**
   * Decodes a chunk.
   *
   * @param chunk the next chunk of the output
   * @return its text, with the start of a character cut at its end held back
   */
  public String decode(OutputChunk chunk) {
    return decode(chunk.stream(), chunk.bytes());
  }

  /**
   * Decodes the next bytes of a stream.
   *
   * @param stream the stream they come from
   * @param bytes the bytes
   * @return their text, with the start of a character cut at their end held back
   */
  public String decode(OutputChunk.Stream stream, byte[] bytes) {
    ByteBuffer carry = held.computeIfAbsent(stream, s -> ByteBuffer.allocate(MAX_HELD));
    carry.flip();
    ByteBuffer in = ByteBuffer.allocate(carry.remaining() + bytes.length);
    in.put(carry).put(bytes).flip();
    carry.clear();
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    decoder(stream).decode(in, out, false);
    if (in.remaining() > MAX_HELD) {
      // never happens with a REPLACE decoder; kept as a bound on what is held
      in.position(in.limit() - MAX_HELD);
    }
    carry.put(in);
    return out.flip().toString();
  }

  /**
   * Ends a stream, or marks a gap in it (bytes were dropped): bytes held back can no longer
   * make a character.
   *
   * @param stream the stream
   * @return U+FFFD when bytes were held back, else the empty string
   */
  public String end(OutputChunk.Stream stream) {
    ByteBuffer carry = held.get(stream);
    CharsetDecoder decoder = decoders.get(stream);
    if (carry == null || decoder == null) {
      return "";
    }
    carry.flip();
    CharBuffer out = CharBuffer.allocate(carry.remaining() + 1);
    decoder.decode(carry, out, true);
    decoder.flush(out);
    decoder.reset();
    carry.clear();
    return out.flip().toString();
  }

  private CharsetDecoder decoder(OutputChunk.Stream stream) {
    return decoders.computeIfAbsent(stream, s -> StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE));
  }
}
