package io.angora.http.internal;

import io.angora.api.OutputChunk;
import io.angora.api.OutputDecoder;
import io.angora.api.OutputListener;
import io.angora.api.Run;
import io.angora.api.Subscription;
import io.angora.engine.Angora;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes one run's output to a client while the run goes on, until it has finished. While this
 * process's worker runs the job, its output is followed live ({@link Angora#followOutput}),
 * chunk by chunk, standard error told apart; otherwise (not started yet, or running on another
 * worker) the run's recorded output is written when it ends. In JSON lines, an end line with the
 * outcome closes the stream.
 *
 * <p>The job's reading thread only offers chunks to a bounded queue: when the client reads too
 * slowly the live following stops (the client is told so) and the rest comes from the recorded
 * output at the end; the job is never held up. Used by one request thread; not thread-safe.
 */
final class LogFollower {
  /** Chunks buffered for a client before live following stops. */
  private static final int QUEUE = 512;
  private static final OutputChunk END = new OutputChunk(OutputChunk.Stream.STDOUT, 0,
      new byte[0]);

  private final Angora angora;
  private final String runId;
  private final boolean ndjson;
  private final Duration poll;
  private final BlockingQueue<OutputChunk> chunks = new ArrayBlockingQueue<>(QUEUE);
  /** A character cut between two chunks is written whole, with the second. */
  private final OutputDecoder text = new OutputDecoder();
  private volatile boolean overflowed;

  LogFollower(Angora angora, String runId, boolean ndjson, Duration poll) {
    this.angora = angora;
    this.runId = runId;
    this.ndjson = ndjson;
    this.poll = poll;
  }

  void writeTo(OutputStream out) throws IOException {
    out.flush(); // headers at once: the client knows the stream is up
    Subscription live = null;
    boolean streamed = false;
    long next = 0; // the offset of the next byte to write
    try {
      while (true) {
        Optional<Run> found = angora.runs().find(runId);
        if (found.isEmpty()) {
          return;
        }
        Run run = found.get();
        if (live == null && !overflowed && !run.status().isFinal()) {
          live = angora.followOutput(runId, new Offer()).orElse(null);
        }
        OutputChunk chunk = poll();
        if (chunk != null && chunk != END) {
          if (chunk.offset() > next) {
            held(out); // bytes held back before a gap can no longer make a character
            dropped(out, chunk.offset() - next);
          }
          String decoded = text.decode(chunk);
          if (!decoded.isEmpty()) {
            chunk(out, chunk.stream().name(), decoded);
          }
          next = chunk.end();
          streamed = true;
          continue;
        }
        if (chunk == END || overflowed && live != null) {
          held(out);
        }
        if (overflowed && live != null) {
          live.close();
          note(out, "[the client read too slowly: live output stopped; the recorded output "
              + "follows when the run ends]\n");
          live = null;
          streamed = false;
        }
        if (run.status().isFinal() && chunks.isEmpty()) {
          if (!streamed && !run.output().isEmpty()) {
            chunk(out, "STDOUT", run.output());
          }
          end(out, run);
          return;
        }
      }
    } finally {
      if (live != null) {
        live.close();
      }
    }
  }

  /** Writes what each stream held back of a cut character (as U+FFFD), if anything. */
  private void held(OutputStream out) throws IOException {
    for (OutputChunk.Stream stream : OutputChunk.Stream.values()) {
      String rest = text.end(stream);
      if (!rest.isEmpty()) {
        chunk(out, stream.name(), rest);
      }
    }
  }

  private OutputChunk poll() throws IOException {
    try {
      return chunks.poll(poll.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** On the job's reading thread: never blocks. */
  private final class Offer implements OutputListener {
    @Override
    public void onChunk(OutputChunk chunk) {
      if (!overflowed && !chunks.offer(chunk)) {
        overflowed = true;
      }
    }

    @Override
    public void onEnd() {
      chunks.offer(END);
    }
  }

  private void dropped(OutputStream out, long bytes) throws IOException {
    if (ndjson) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("dropped", bytes);
      item.put("stream", "STDOUT");
      item.put("text", "");
      line(out, item);
    } else {
      note(out, "[" + bytes + " earlier bytes not kept]\n");
    }
  }

  private void note(OutputStream out, String text) throws IOException {
    if (ndjson) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("note", text.strip());
      line(out, item);
    } else {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private void end(OutputStream out, Run run) throws IOException {
    if (ndjson) {
      Map<String, Object> end = new LinkedHashMap<>();
      end.put("end", true);
      end.put("status", run.status().name());
      end.put("exitCode", run.exitCode());
      line(out, end);
    }
  }

  private void chunk(OutputStream out, String stream, String text) throws IOException {
    if (!ndjson) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return;
    }
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("stream", stream);
    item.put("text", text);
    line(out, item);
  }

  private static void line(OutputStream out, Object value) throws IOException {
    out.write(Json.write(value));
    out.write('\n');
    out.flush();
  }
}
