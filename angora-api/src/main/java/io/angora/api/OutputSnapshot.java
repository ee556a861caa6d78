package io.angora.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The output a running job has produced so far, as far as it is kept: its newest bytes, in
 * chunks tagged by stream, in the order they came.
 *
 * @param runId the run
 * @param chunks the kept output, oldest first; consecutive chunks of one stream are merged
 * @param written how many bytes the job wrote in all, both streams, including dropped ones
 * @param ended whether the job's output is closed (its process ended)
 */
public record OutputSnapshot(String runId, List<OutputChunk> chunks, long written,
    boolean ended) {

  /** Checks and copies. */
  public OutputSnapshot {
    Objects.requireNonNull(runId, "runId");
    chunks = List.copyOf(chunks);
    if (written < 0) {
      throw new IllegalArgumentException("written must not be negative: " + written);
    }
  }

  /** How many of the oldest bytes are no longer kept. */
  public long dropped() {
    return chunks.isEmpty() ? written : chunks.get(0).offset();
  }

  /** Both streams interleaved as they came, decoded as UTF-8. */
  public String text() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.forEach(chunk -> all.writeBytes(chunk.bytes()));
    return all.toString(StandardCharsets.UTF_8);
  }

  /**
   * One stream's kept output, decoded as UTF-8.
   *
   * @param stream the stream
   * @return its text
   */
  public String text(OutputChunk.Stream stream) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.stream().filter(chunk -> chunk.stream() == stream)
        .forEach(chunk -> all.writeBytes(chunk.bytes()));
    return all.toString(StandardCharsets.UTF_8);
  }
}
