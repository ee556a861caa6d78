package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many requests over one kept-alive connection are not slower than over new connections: with
 * Nagle's algorithm on, each answer waits about 40 ms for the client's delayed ACK. Runs the
 * server in an embedding application's JVM started with no system property, so it proves that
 * {@link AngoraHttpServer} turns TCP_NODELAY on by itself. Compares medians, not times.
 */
class KeepAliveIT {
  private static final int REQUESTS = 100;

  @Test
  void oneKeptAliveConnectionIsAsFastAsNewConnections() {
    try (ChildServer server = new ChildServer(List.of())) {
      Map<String, String> host = Map.of("Host", "127.0.0.1:" + server.port());
      long[] kept = new long[REQUESTS];
      long[] fresh = new long[REQUESTS];
      try (RawHttp connection = new RawHttp(server.port())) {
        for (int i = 0; i < 20; i++) { // warm up both paths
          connection.exchange("GET", "/health", host, "");
          RawHttp.once(server.port(), "GET", "/health", host, "");
        }
        for (int i = 0; i < REQUESTS; i++) {
          long start = System.nanoTime();
          RawHttp.Response answer = connection.exchange("GET", "/health", host, "");
          kept[i] = System.nanoTime() - start;
          assertThat(answer.status()).isEqualTo(200);
        }
      }
      for (int i = 0; i < REQUESTS; i++) {
        long start = System.nanoTime();
        RawHttp.Response answer = RawHttp.once(server.port(), "GET", "/health", host, "");
        fresh[i] = System.nanoTime() - start;
        assertThat(answer.status()).isEqualTo(200);
      }
      long keptMedian = median(kept);
      long freshMedian = median(fresh);
      // A delayed-ACK stall makes the kept-alive median some 40 times the fresh one.
      assertThat(keptMedian).as("median over one connection %d us, over new ones %d us",
          keptMedian / 1000, freshMedian / 1000).isLessThanOrEqualTo(3 * freshMedian);
    }
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
