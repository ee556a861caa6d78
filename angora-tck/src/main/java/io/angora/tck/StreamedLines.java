package io.angora.tck;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines of a streamed HTTP body (an event stream, a followed log) read on another thread,
 * for tests that wait for a line while the stream stays open. Thread-safe.
 */
public final class StreamedLines {
  /** The line added once the stream has ended. */
  public static final String CLOSED = "<closed>";

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private StreamedLines() {}

  /**
   * Starts reading a body as UTF-8 lines.
   *
   * @param body the body, closed at its end
   * @return the lines read so far, then {@link #CLOSED}
   */
  public static StreamedLines of(InputStream body) {
    StreamedLines read = new StreamedLines();
    CompletableFuture.runAsync(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(body,
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          read.lines.add(line);
        }
      } catch (Exception e) {
        // the stream is over either way
      }
      read.lines.add(CLOSED);
    });
    return read;
  }

  /**
   * Waits for a line containing a text.
   *
   * @param wanted the text
   * @param timeout how long at most
   * @return every line read while waiting, that one included, each ended by a newline
   * @throws AssertionError when the stream ends first or the time is up, with what was read
   * @throws InterruptedException when interrupted
   */
  public String until(String wanted, Duration timeout) throws InterruptedException {
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue;
      }
      seen.append(line).append('\n');
      if (line.contains(wanted)) {
        return seen.toString();
      }
      if (line.equals(CLOSED)) {
        throw new AssertionError("stream ended before '" + wanted + "'; read:\n" + seen);
      }
    }
    throw new AssertionError("no '" + wanted + "' within " + timeout + "; read:\n" + seen);
  }
}
