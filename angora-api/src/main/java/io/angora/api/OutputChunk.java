package io.angora.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A piece of a job's output as the job wrote it: bytes of one stream, standard output or
 * standard error, with their position in the job's whole output (both streams counted in the
 * order they arrived). Immutable and thread-safe.
 */
public final class OutputChunk {

  /** Which of a job's output streams a chunk comes from. */
  public enum Stream {
    /** Standard output (file descriptor 1). */
    STDOUT,
    /** Standard error (file descriptor 2). */
    STDERR
  }

  private final Stream stream;
  private final long offset;
  private final byte[] bytes;

  /**
   * Creates a chunk.
   *
   * @param stream the stream the bytes come from
   * @param offset how many bytes of output (both streams) the job wrote before these
   * @param bytes the bytes, copied
   */
  public OutputChunk(Stream stream, long offset, byte[] bytes) {
    this.stream = Objects.requireNonNull(stream, "stream");
    if (offset < 0) {
      throw new IllegalArgumentException("chunk offset must not be negative: " + offset);
    }
    this.offset = offset;
    this.bytes = bytes.clone();
  }

  /** The stream the bytes come from. */
  public Stream stream() {
    return stream;
  }

  /** How many bytes of output (both streams) the job wrote before this chunk. */
  public long offset() {
    return offset;
  }

  /** The position just after this chunk: {@code offset() + length()}. */
  public long end() {
    return offset + bytes.length;
  }

  /** How many bytes the chunk holds. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the chunk's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The bytes decoded as UTF-8 (a character cut by a chunk boundary shows as U+FFFD; decode the
   * concatenated bytes of a stream's chunks to avoid that).
   */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OutputChunk that && stream == that.stream && offset == that.offset
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, offset, Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    return "OutputChunk[" + stream + " @" + offset + ", " + bytes.length + " bytes]";
  }
}
