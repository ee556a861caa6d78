package io.angora.engine.internal.process;

import io.angora.api.OutputChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one output stream of a job (its standard output or error) into the job's output tail,
 * and optionally into its log file, until the end of the stream. Each stream has its own pump
 * so that a job filling one pipe never blocks on the other. Used by one thread.
 */
public final class StreamPump implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamPump.class);

  private final String what;
  private final OutputChunk.Stream stream;
  private final InputStream in;
  private final OutputTail tail;
  private final @Nullable OutputStream copy;
  private final CountDownLatch done;

  /**
   * Creates a pump.
   *
   * @param what names the stream in log messages, e.g. {@code stdout of run 42 (task t)}
   * @param stream which of the job's streams it is
   * @param in the stream to drain
   * @param tail where everything read goes
   * @param copy where everything read also goes (a log file, closed at the end), or null
   * @param done counted down once the stream is drained and closed
   */
  public StreamPump(String what, OutputChunk.Stream stream, InputStream in, OutputTail tail,
      @Nullable OutputStream copy,
      CountDownLatch done) {
    this.what = what;
    this.stream = stream;
    this.in = in;
    this.tail = tail;
    this.copy = copy;
    this.done = done;
  }

  @Override
  public void run() {
    OutputStream out = copy;
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        tail.write(stream, chunk, 0, n);
        if (out != null) {
          try {
            out.write(chunk, 0, n);
          } catch (IOException e) {
            // keep draining (a job must not block on a full pipe) but stop writing the log
            LOG.warn("cannot write the log of {}; the rest is not logged", what, e);
            closeLog(out);
            out = null;
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot read {}", what, e);
    } finally {
      if (out != null) {
        closeLog(out);
      }
      done.countDown();
    }
  }

  private void closeLog(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      LOG.warn("cannot close the log of {}", what, e);
    }
  }
}
