package io.angora.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Run;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM running a workflow on an SQLite store with SIGKILL while a job runs, starts it
 * again, and checks that the finished run survived and the interrupted one was marked and
 * replayed.
 */
class CrashRestartIT {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void finishedRunsSurviveASigkillAndTheInterruptedRunIsReplayed() throws Exception {
    Path db = dir.resolve("angora.db");
    Path marker = dir.resolve("second.started");
    Path script = dir.resolve("second.sh");
    // The first attempt of "second" hangs (and is killed with the JVM); the replay succeeds.
    Files.writeString(script, "if [ -f '" + marker + "' ]; then echo replayed; exit 0; fi\n"
        + "touch '" + marker + "'\nexec sleep 300\n");

    Process crashing = child(db, script, dir.resolve("crashing.log"), "send");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker)
          && "RUNNING".equals(committedStatus(db, "second")));
      assertThat(committedStatus(db, "first")).isEqualTo("SUCCEEDED");
    } finally {
      // The job's shell would outlive the killed JVM; only the JVM is the subject here.
      crashing.descendants().forEach(ProcessHandle::destroyForcibly);
      crashing.destroyForcibly();
      crashing.waitFor(30, TimeUnit.SECONDS);
    }

    Path restartLog = dir.resolve("restarted.log");
    Process restarted = child(db, script, restartLog);
    assertThat(restarted.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(restarted.exitValue()).as("the restarted Angora became idle; its log:%n%s",
        Files.readString(restartLog)).isZero();

    try (JdbcRunStore store = JdbcRunStore.sqlite(db)) {
      List<Run> runs = store.query(RunQuery.newest(100)).runs().stream()
          .sorted(Comparator.comparing(Run::id)).toList();
      assertThat(runs).extracting(Run::task, Run::attempt, Run::status).containsExactly(
          org.assertj.core.groups.Tuple.tuple("first", 1, RunStatus.SUCCEEDED),
          org.assertj.core.groups.Tuple.tuple("second", 1, RunStatus.FAILED),
          org.assertj.core.groups.Tuple.tuple("second", 2, RunStatus.SUCCEEDED));
      assertThat(runs.get(0).output()).contains("first done");
      assertThat(runs.get(1).reason()).contains("interrupted");
      assertThat(runs.get(2).output()).contains("replayed");
      assertThat(store.unfinished()).isEmpty();
      assertThat(store.pendingReplays()).isEmpty();
    }
  }

  private static Process child(Path db, Path script, Path log, String... more)
      throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
        db.toString(), script.toString()));
    command.addAll(List.of(more));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  /** Reads the database as another process would: only what was committed. */
  private static String committedStatus(Path db, String task) throws Exception {
    if (!Files.exists(db)) {
      return "";
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery(
            "SELECT status FROM runs WHERE task = '" + task + "' ORDER BY id DESC LIMIT 1")) {
      return row.next() ? row.getString(1) : "";
    }
  }
}
