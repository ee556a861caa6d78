package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.http.HttpCall;
import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventStreamTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final HttpCall GET = new HttpCall("GET", "/api/events", Map.of(), Map.of(),
      Map.of(), new byte[0]);

  private static Run run(int i) {
    Message m = new Message("m" + i, "a.b", null, "m" + i, null, null, T0);
    return Run.queued("r" + i, "t", m, 1, T0);
  }

  private static HttpReply.Streamed open(EventStream events) {
    HttpReply reply = events.routes().get(0).handler().handle(GET);
    assertThat(reply.headers().get("Content-Type")).startsWith("text/event-stream");
    return (HttpReply.Streamed) reply.body();
  }

  /** An output that blocks every write until released: a client that does not read. */
  private static final class StuckClient extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    volatile boolean firstWrite = true;

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (!firstWrite) {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      firstWrite = false;
      synchronized (written) {
        written.write(b, off, len);
      }
    }

    String text() {
      synchronized (written) {
        return written.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void aClientThatDoesNotReadIsDroppedAndNeverHoldsTheEngineUp() throws Exception {
    EventStream events = new EventStream(4, 2, Duration.ofSeconds(30));
    StuckClient stuck = new StuckClient();
    CompletableFuture<Void> pump = CompletableFuture.runAsync(() -> {
      try {
        open(events).writeTo(stuck);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> stuck.text().contains("connected"));

    // The writer is stuck on the socket; the engine's calls return at once all the same.
    CompletableFuture<Void> engine = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < 1000; i++) {
        events.onRun(run(i));
      }
    });
    engine.get(5, TimeUnit.SECONDS);

    stuck.release.countDown();
    pump.get(5, TimeUnit.SECONDS);
    assertThat(stuck.text()).contains("event: overflow").doesNotContain("\"r999\"");
    assertThat(events.clientCount()).isZero();
  }

  @Test
  void eventsArriveInOrderWithHeartbeatsBetween() throws Exception {
    EventStream events = new EventStream(16, 2, Duration.ofMillis(50));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream synced = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (out) {
          out.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (out) {
          out.write(b, off, len);
        }
      }
    };
    HttpReply.Streamed stream = open(events);
    CompletableFuture<Void> pump = CompletableFuture.runAsync(() -> {
      try {
        stream.writeTo(synced);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> events.clientCount() == 1);
    events.onRun(run(1));
    Message scheduled = new Message("0001234567890a-abcdef-nightly", "time.0105", null,
        "0001234567890a-abcdef-nightly", null, null, T0);
    events.onMessage(scheduled);
    await().atMost(Duration.ofSeconds(5)).until(() -> text(out).contains(": heartbeat")
        && text(out).contains("event: schedule"));
    events.close();
    pump.get(5, TimeUnit.SECONDS);

    String all = text(out);
    assertThat(all).contains("event: run\ndata: {\"id\":\"r1\"");
    assertThat(all.indexOf("event: run")).isLessThan(all.indexOf("event: message"));
    assertThat(all).contains("event: schedule\ndata: {\"schedule\":\"nightly\"");
    assertThat(events.clientCount()).isZero();
  }

  @Test
  void streamsBeyondTheLimitAreRefused() {
    EventStream events = new EventStream(4, 1, Duration.ofSeconds(30));
    open(events);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(events))
        .isInstanceOf(HttpException.class).hasMessageContaining("too many event streams");
    events.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(events))
        .isInstanceOf(HttpException.class).hasMessageContaining("stopping");
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
