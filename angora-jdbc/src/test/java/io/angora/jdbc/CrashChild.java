package io.angora.jdbc;

import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child process for {@link CrashRestartIT}: runs Angora with two chained tasks on an SQLite
 * run store: {@code first} echoes, then {@code second} runs a shell script (replayed up to
 * twice). With {@code send} it sends {@code crash.start} and runs until killed;
 * without, it recovers, waits until idle, closes and exits.
 */
public final class CrashChild {
  private CrashChild() {}

  /**
   * Runs the child.
   *
   * @param args the SQLite file, the script of {@code second}, and optionally {@code send}
   * @throws Exception if Angora fails
   */
  public static void main(String[] args) throws Exception {
    boolean send = args.length > 2 && args[2].equals("send");
    Angora angora = Angora.builder()
        .task(TaskDefinition.builder("first").triggers("crash.start").command("echo first done")
                .messages("crash.second").build(),
            TaskDefinition.builder("second").triggers("crash.second").command("sh " + args[1])
                .replay(2).build())
        .runStore(JdbcRunStore.sqlite(Path.of(args[0])))
        .replayBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
        .shutdownGrace(Duration.ofSeconds(1))
        .build();
    angora.start();
    if (send) {
      angora.send("crash.start");
      Thread.currentThread().join();
    }
    boolean idle = angora.awaitIdle(Duration.ofSeconds(60));
    angora.close();
    System.exit(idle ? 0 : 3);
  }
}
