package io.angora.http;

import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import io.angora.engine.Angora;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * An application embedding Angora and its web API, started in its own JVM by the tests with no
 * system property set: what it shows (TCP_NODELAY, request time limits) comes from
 * {@link AngoraHttpServer} alone. Prints {@code port N}, serves until its standard input closes.
 */
public final class EmbeddingApplication {
  private EmbeddingApplication() {}

  /**
   * Starts serving.
   *
   * @param args {@code threads queue}, optional
   * @throws IOException when standard input cannot be read
   */
  public static void main(String[] args) throws IOException {
    HttpOptions.Builder options = HttpOptions.builder().port(0).drain(Duration.ZERO);
    if (args.length == 2) {
      options.threads(Integer.parseInt(args[0])).queue(Integer.parseInt(args[1]));
    }
    try (Angora angora = Angora.builder().tasks(TaskSource.of(List.of(
            TaskDefinition.builder("hello").triggers("time.0105").command("echo hello")
                .replay(0).build())))
            .shutdownGrace(Duration.ofSeconds(1)).build()) {
      angora.start();
      HttpRoute block = HttpRoute.post("/test/block", call -> {
        try {
          Thread.sleep(Long.parseLong(call.fields().getOrDefault("millis", "1000")));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return HttpReply.ok(java.util.Map.of("slept", true));
      });
      try (AngoraHttpServer http = AngoraHttpServer.start(angora, options.build(),
          List.of(block))) {
        System.out.println("port " + http.port());
        System.out.flush();
        while (System.in.read() >= 0) {
          // serve until the test closes our input
        }
      }
    }
  }
}
