package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow and greedy clients against a server in an embedding application's JVM (Angora's
 * defaults, no system property set): hundreds of connections trickling their headers or body
 * do not stop {@code /health} and are cut off by the request time limit; connections beyond the
 * cap are closed at once; requests beyond the handling places get 503.
 */
class SlowClientIT {
  private static final int SLOW_CLIENTS = 300;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void hundredsOfSlowClientsDoNotStopHealthAndAreCutOff() throws Exception {
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    List<Socket> slow = new ArrayList<>();
    try (ChildServer server = new ChildServer(List.of())) {
      String host = "127.0.0.1:" + server.port();
      for (int i = 0; i < SLOW_CLIENTS; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        boolean body = i % 10 == 0; // some send their headers, then the body a byte at a time
        write(socket, body
            ? "POST /send HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: "
                + "application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\nmsg=time."
            : "GET /health HTTP/1.1\r\nHost: " + host + "\r\n");
        slow.add(socket);
      }
      // One more header line (or body byte) every 2 s: never idle, never done.
      trickle.scheduleAtFixedRate(() -> {
        for (int i = 0; i < slow.size(); i++) {
          try {
            write(slow.get(i), i % 10 == 0 ? "0" : "X-Slow-" + i + ": still typing\r\n");
          } catch (IOException e) {
            // closed by the server: expected once the time limit passes
          }
        }
      }, 2, 2, TimeUnit.SECONDS);

      for (int i = 0; i < 10; i++) {
        assertThat(healthWithin(server.port(), Duration.ofSeconds(5)))
            .as("health request %d while %d slow clients are connected", i, SLOW_CLIENTS)
            .isEqualTo(200);
      }
      for (Socket socket : slow) {
        socket.setSoTimeout((int) PATIENCE.toMillis());
      }
      await().atMost(PATIENCE).until(() -> slow.stream().allMatch(SlowClientIT::closedByServer));
      RawHttp.Response messages = RawHttp.once(server.port(), "GET", "/api/messages",
          Map.of("Host", host), "");
      assertThat(messages.body()).as("no trickled body was taken as a message")
          .doesNotContain("time.");
    } finally {
      trickle.shutdownNow();
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  /** Also: connections closed by their client mid-request stop counting against the cap. */
  @Test
  void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ChildServer server = new ChildServer(List.of("-Djdk.httpserver.maxConnections=20"))) {
      String host = "127.0.0.1:" + server.port();
      for (int i = 0; i < 20; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        write(socket, "GET /health HTTP/1.1\r\nHost: " + host + "\r\n"); // partial, held open
        held.add(socket);
      }
      await().atMost(PATIENCE).until(() -> {
        try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
          extra.setSoTimeout(5_000);
          write(extra, "GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
          return closedByServer(extra);
        }
      });
      for (Socket socket : held) {
        socket.close();
      }
      held.clear();
      // Served again once the server has seen them close (refused meanwhile: a reset).
      await().atMost(PATIENCE).ignoreExceptions().until(() -> healthWithin(server.port(), Duration.ofSeconds(5))
          == 200);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void requestsBeyondTheHandlingPlacesGet503() {
    try (ChildServer server = new ChildServer(List.of(), "1", "0")) {
      Map<String, String> host = Map.of("Host", "127.0.0.1:" + server.port(),
          "Content-Type", "application/x-www-form-urlencoded");
      CompletableFuture<RawHttp.Response> blocking = CompletableFuture.supplyAsync(
          () -> RawHttp.once(server.port(), "POST", "/test/block", host, "millis=4000"));
      RawHttp.Response busy = await().atMost(PATIENCE).until(
          () -> RawHttp.once(server.port(), "GET", "/health", host, ""),
          answer -> answer.status() == 503);

      assertThat(busy.body()).contains("server busy");
      assertThat(busy.headers()).containsEntry("retry-after", "1");
      assertThat(blocking.join().status()).isEqualTo(200);
      assertThat(RawHttp.once(server.port(), "GET", "/health", host, "").status())
          .isEqualTo(200);
    }
  }

  private static int healthWithin(int port, Duration limit) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) limit.toMillis());
      write(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nConnection: close\r\n\r\n");
      byte[] status = socket.getInputStream().readNBytes(12);
      return Integer.parseInt(new String(status, StandardCharsets.ISO_8859_1).substring(9, 12));
    }
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Whether the server closed the connection (end of stream or reset), reading what is left. */
  private static boolean closedByServer(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (true) {
        if (in.read(buffer) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }
}
