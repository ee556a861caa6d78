package io.angora.http.internal;

import io.angora.api.Run;
import io.angora.engine.Angora;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one run's output to a client while the run goes on, until it has finished; then the
 * rest of its recorded output and, in JSON lines, an end line with the outcome. Used by one
 * request thread; not thread-safe.
 */
final class LogFollower {
  private final Angora angora;
  private final String runId;
  private final boolean ndjson;
  private final Duration poll;

  LogFollower(Angora angora, String runId, boolean ndjson, Duration poll) {
    this.angora = angora;
    this.runId = runId;
    this.ndjson = ndjson;
    this.poll = poll;
  }

  void writeTo(OutputStream out) throws IOException {
    // A first line at once, so the client knows the stream is up.
    out.flush();
    while (true) {
      Optional<Run> found = angora.runs().find(runId);
      if (found.isEmpty()) {
        return;
      }
      Run run = found.get();
      if (run.status().isFinal()) {
        if (!run.output().isEmpty()) {
          chunk(out, "STDOUT", run.output());
        }
        if (ndjson) {
          Map<String, Object> end = new LinkedHashMap<>();
          end.put("end", true);
          end.put("status", run.status().name());
          end.put("exitCode", run.exitCode());
          line(out, end);
        }
        return;
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
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
