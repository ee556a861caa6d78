package io.angora.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.Cancellation;
import io.angora.api.Job;
import io.angora.api.JobEvent.JobFinished;
import io.angora.api.Message;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs real processes through the {@link ProcessExecutor}, with each of its launchers. */
@ParameterizedClass
@EnumSource(value = ProcessExecutor.Launcher.class, names = {"JDK", "POSIX_SPAWN"})
class ProcessExecutorIT {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final ProcessExecutor.Launcher launcher;
  private final ProcessExecutor executor;

  ProcessExecutorIT(ProcessExecutor.Launcher launcher) {
    this.launcher = launcher;
    this.executor = builder().killGrace(Duration.ofMillis(500)).build();
  }

  /** A builder for the launcher under test. */
  private ProcessExecutor.Builder builder() {
    return ProcessExecutor.builder().launcher(launcher);
  }

  @AfterEach
  void closeExecutor() {
    executor.close();
  }

  private static TaskDefinition.Builder task(String name, String command) {
    return TaskDefinition.builder(name).triggers("demo.go").command(command);
  }

  private static Job job(TaskDefinition task, String text, @Nullable String payload, int attempt) {
    Message message = new Message("msg-1", text, payload, "wf-1", null, null, Instant.now());
    return new Job("run-" + attempt, task, message, attempt);
  }

  private static JobFinished run(ProcessExecutor executor, TaskDefinition task) {
    return executor.execute(job(task, "demo.go", null, 1), "worker-1", new Cancellation());
  }

  private JobFinished run(TaskDefinition.Builder task) {
    return run(executor, task.build());
  }

  @Test
  void capturesOutputOfASuccessfulCommand() {
    JobFinished finished = run(task("hello", "echo hello \"big  world\""));

    assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(finished.exitCode()).isZero();
    assertThat(finished.reason()).isNull();
    assertThat(finished.output()).isEqualTo("hello big  world\n");
    assertThat(finished.runId()).isEqualTo("run-1");
    assertThat(finished.task()).isEqualTo("hello");
    assertThat(finished.worker()).isEqualTo("worker-1");
    assertThat(finished.at()).isAfterOrEqualTo(finished.startedAt());
  }

  @Test
  void jobsReadAnEmptyStandardInput() {
    JobFinished finished = run(task("reader", "cat").timeout(Duration.ofSeconds(10)));

    assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(finished.output()).isEmpty();
  }

  @Test
  void nonZeroExitIsAFailureWithItsCode() {
    JobFinished finished = run(task("three", "sh -c 'echo failing; exit 3'"));

    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.exitCode()).isEqualTo(3);
    assertThat(finished.reason()).isEqualTo("exit code 3");
    assertThat(finished.output()).isEqualTo("failing\n");
  }

  @Test
  void appendsStdoutToTheLogFileInACreatedDirectoryButNotStderr() throws IOException {
    TaskDefinition task = task("logged",
        "sh -c 'echo out-$ANGORA_ATTEMPT; echo err-$ANGORA_ATTEMPT >&2'")
        .log(dir.resolve("logs/nested").toString()).build();

    JobFinished first = executor.execute(job(task, "demo.go", null, 1), "w", new Cancellation());
    JobFinished second = executor.execute(job(task, "demo.go", null, 2), "w", new Cancellation());

    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("logs/nested/logged.log")))
        .isEqualTo("out-1\nout-2\n");
    assertThat(second.output()).contains("out-2\n", "err-2\n");
  }

  @Test
  void expandsTheLogDirectoryFromAngorasOwnEnvironment() throws IOException {
    ProcessExecutor configured = builder()
        .environment(Map.of("LOG_ROOT", dir.toString())).build();
    try {
      JobFinished finished = run(configured, task("varlog", "echo logged")
          .log("$LOG_ROOT/${LOG_ROOT_NAME_UNKNOWN}logs").build());

      assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(Files.readString(dir.resolve("${LOG_ROOT_NAME_UNKNOWN}logs/varlog.log")))
          .isEqualTo("logged\n");
    } finally {
      configured.close();
    }
  }

  @Test
  void neverExpandsTheLogDirectoryFromTheSendersValuesOrTheTasksEnv() throws IOException {
    Path root = Files.createDirectories(dir.resolve("a/b/logs"));
    TaskDefinition task = task("traversal", "echo logged")
        .env("FROM_PAYLOAD", "$ANGORA_PAYLOAD")
        .log(root + "/$ANGORA_WORKFLOW_ID/$ANGORA_MESSAGE/$FROM_PAYLOAD").build();
    Message message = new Message("msg-1", "demo.go", "../../../payload-escaped",
        "../../../escaped", null, null, Instant.now());

    JobFinished finished = executor.execute(new Job("run-1", task, message, 1), "w",
        new Cancellation());

    assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(root.resolve("$ANGORA_WORKFLOW_ID/$ANGORA_MESSAGE/$FROM_PAYLOAD/traversal.log"))
        .hasContent("logged");
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("traversal.log")))
          .containsExactly(root.resolve(
              "$ANGORA_WORKFLOW_ID/$ANGORA_MESSAGE/$FROM_PAYLOAD/traversal.log"));
    }
  }

  @Test
  void createsTheLogFileReadableByOwnerAndGroupOnly() throws IOException {
    JobFinished finished = run(task("private", "echo secret-ish").log(dir.toString()));

    assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir.resolve("private.log"));
    assertThat(mode).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
        .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OWNER_EXECUTE);
  }

  @Test
  void refusesASymbolicLinkPlantedAsTheLogFile() throws IOException {
    Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched\n");
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.createSymbolicLink(logs.resolve("planted.log"), victim);
    Files.createSymbolicLink(logs.resolve("dangling.log"), dir.resolve("created-through-link"));

    JobFinished planted = run(task("planted", "echo overwrite").log(logs.toString()));
    JobFinished dangling = run(task("dangling", "echo create").log(logs.toString()));

    assertThat(planted.status()).isEqualTo(RunStatus.FAILED);
    assertThat(planted.reason()).contains("task 'planted'", "planted.log",
        "is a symbolic link");
    assertThat(dangling.status()).isEqualTo(RunStatus.FAILED);
    assertThat(dangling.reason()).contains("is a symbolic link");
    assertThat(victim).hasContent("untouched");
    assertThat(dir.resolve("created-through-link")).doesNotExist();
  }

  @Test
  void aFailureAfterTheProcessStartedKillsTheProcess() throws IOException {
    Path pidFile = dir.resolve("pid");
    // The JDK launcher's reader pool is what breaks here; the posix_spawn launcher has none.
    ProcessExecutor broken = ProcessExecutor.builder().launcher(ProcessExecutor.Launcher.JDK)
        .killGrace(Duration.ofMillis(200))
        .outputReaders(pump -> {
          await().atMost(PATIENCE).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
          throw new IllegalStateException("the reader pool broke");
        }).build();

    JobFinished finished = run(broken, task("orphan",
        "sh -c 'echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile
            + " && exec sleep 600'").build());

    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.reason()).contains("the reader pool broke");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    await().atMost(PATIENCE).until(() -> isGone(pid));
  }

  @Test
  void refusesATaskNameThatWouldLeaveTheLogDirectory() {
    JobFinished finished = run(task("../escape", "echo never").log(dir.toString()));

    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.reason()).contains("task '../escape'", "must not contain '/' or '..'");
    assertThat(dir.getParent().resolve("escape.log")).doesNotExist();
  }

  @Test
  void keepsTheNewestOutputOfABigOutputWithoutDeadlock() throws IOException {
    ProcessExecutor small = builder().outputTailBytes(1000).build();
    try {
      // 1.3 MB on each stream, stderr first: a reader that drained only stdout would block.
      TaskDefinition task = task("big", "sh -c 'seq 1 200000 >&2; seq 1 200000'")
          .log(dir.toString()).build();

      JobFinished finished = run(small, task);

      assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(finished.output()).hasSizeLessThanOrEqualTo(1000)
          .hasSizeGreaterThan(900).endsWith("\n199999\n200000\n");
      assertThat(Files.readAllLines(dir.resolve("big.log"))).hasSize(200_000)
          .startsWith("1", "2").endsWith("200000");
    } finally {
      small.close();
    }
  }

  @Test
  void timeoutKillsTheProcessTreeWithItsGrandchild() throws IOException {
    Path pids = dir.resolve("pids");
    TaskDefinition task = task("slow",
        "sh -c 'sleep 60 & echo $$ $! > \"$PIDS\"; sleep 60'")
        .env("PIDS", pids.toString()).timeout(Duration.ofSeconds(1)).build();

    JobFinished finished = run(executor, task);

    assertThat(finished.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(finished.reason()).isEqualTo("timed out after 1s");
    assertThat(finished.exitCode()).isNull();
    String[] written = Files.readString(pids).trim().split(" ");
    long shell = Long.parseLong(written[0]);
    long grandchild = Long.parseLong(written[1]);
    await().atMost(PATIENCE).until(() -> isGone(shell) && isGone(grandchild));
  }

  @Test
  void cancellationKillsTheJobAndReportsTheReason() throws Exception {
    Path pid = dir.resolve("pid");
    TaskDefinition task = task("cancelled", "sh -c 'echo $$ > \"$PID_FILE\"; exec sleep 60'")
        .env("PID_FILE", pid.toString()).build();
    Cancellation cancellation = new Cancellation();

    CompletableFuture<JobFinished> running = CompletableFuture.supplyAsync(
        () -> executor.execute(job(task, "demo.go", null, 1), "w", cancellation));
    await().atMost(PATIENCE).until(() -> Files.exists(pid) && Files.size(pid) > 0);
    cancellation.cancel("stopped by the test");
    JobFinished finished = running.get();

    assertThat(finished.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(finished.reason()).isEqualTo("stopped by the test");
    long sleeper = Long.parseLong(Files.readString(pid).trim());
    await().atMost(PATIENCE).until(() -> isGone(sleeper));
  }

  @Test
  void alreadyCancelledJobDoesNotStart() {
    Path marker = dir.resolve("marker");
    Cancellation cancellation = new Cancellation();
    cancellation.cancel("shutting down");

    JobFinished finished = executor.execute(
        job(task("early", "touch " + marker).build(), "demo.go", null, 1), "w", cancellation);

    assertThat(finished.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(finished.reason()).isEqualTo("shutting down");
    assertThat(marker).doesNotExist();
  }

  @Test
  void missingExecutableIsAFailureNamingIt() {
    JobFinished finished = run(task("missing", "nosuchcmd-angora --flag"));

    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.reason())
        .isEqualTo("cannot start 'nosuchcmd-angora': No such file or directory");
    assertThat(finished.exitCode()).isNull();
  }

  @Test
  void fileThatIsNotExecutableIsAFailure() throws IOException {
    Path script = Files.writeString(dir.resolve("script.sh"), "echo hi\n");

    JobFinished finished = run(task("noexec", script.toString()));

    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.reason()).isEqualTo("cannot start '" + script + "': Permission denied");
  }

  @Test
  void missingWorkingDirectoryIsAFailure() {
    Path nowhere = dir.resolve("nowhere");
    ProcessExecutor elsewhere = builder().workingDirectory(nowhere).build();
    try {
      JobFinished finished = run(elsewhere, task("lost", "echo hi").build());

      assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
      assertThat(finished.reason()).startsWith("cannot start 'echo' in directory '" + nowhere);
    } finally {
      elsewhere.close();
    }
  }

  @Test
  void unterminatedQuoteIsAFailureNamingTheTask() {
    JobFinished finished = run(task("quoted", "echo 'oops"));

    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.reason())
        .isEqualTo("task 'quoted': unterminated single quote at position 6 of its command");
  }

  @Test
  void payloadAndMessageReachTheJobOnlyAsVariables() {
    Path marker = dir.resolve("marker");
    String payload = "$(touch " + marker + "); `touch " + marker + "` ; touch " + marker
        + " | touch " + marker + " && echo \"owned\" '$HOME' > " + marker;
    String text = "demo.go; touch " + marker;
    TaskDefinition printenv = task("printenv", "printenv ANGORA_PAYLOAD").build();
    TaskDefinition args = task("args",
        "printf [%s] $ANGORA_PAYLOAD \"$ANGORA_MESSAGE\" ${ANGORA_PAYLOAD}").build();

    JobFinished printed =
        executor.execute(job(printenv, text, payload, 1), "w", new Cancellation());
    JobFinished asArgs = executor.execute(job(args, text, payload, 1), "w", new Cancellation());

    assertThat(printed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(printed.output()).isEqualTo(payload + "\n");
    assertThat(asArgs.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(asArgs.output()).isEqualTo("[" + payload + "][" + text + "][" + payload + "]");
    assertThat(marker).doesNotExist();
  }

  @Test
  void payloadThatNoEnvironmentCanHoldIsAFailure() {
    TaskDefinition task = task("nul", "printenv ANGORA_PAYLOAD").build();

    JobFinished finished =
        executor.execute(job(task, "demo.go", "a\0b", 1), "w", new Cancellation());

    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.reason())
        .startsWith("task 'nul', run run-1: cannot set up the job's environment");
  }

  @Test
  @Timeout(60)
  void backgroundProcessHoldingTheOutputDoesNotHoldTheRun() throws IOException {
    Path pid = dir.resolve("pid");
    TaskDefinition task = task("daemon", "sh -c 'sleep 120 & echo $! > \"$PID_FILE\"; echo done'")
        .env("PID_FILE", pid.toString()).build();
    try {
      JobFinished finished = run(executor, task);

      assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(finished.output()).isEqualTo("done\n");
    } finally {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
          .ifPresent(ProcessHandle::destroy);
    }
  }

  @Test
  void theJobSeesEveryAngoraVariable() {
    TaskDefinition task = task("vars", "env").build();

    JobFinished finished =
        executor.execute(job(task, "demo.go", null, 2), "w", new Cancellation());

    assertThat(environmentOf(finished.output())).containsAllEntriesOf(Map.of(
        "ANGORA_TASK", "vars",
        "ANGORA_RUN_ID", "run-2",
        "ANGORA_WORKFLOW_ID", "wf-1",
        "ANGORA_MESSAGE", "demo.go",
        "ANGORA_PAYLOAD", "",
        "ANGORA_ATTEMPT", "2"));
  }

  @Test
  void taskEnvironmentReachesTheJobExpandedAndCannotReplaceAngoraVariables() {
    JobFinished finished = run(task("envtask", "printenv GREETING ANGORA_TASK")
        .env("GREETING", "hello from $ANGORA_TASK and ${NOPE}")
        .env("ANGORA_TASK", "spoofed"));

    assertThat(finished.output()).isEqualTo("hello from envtask and ${NOPE}\nenvtask\n");
  }

  @Test
  void commandExpandsVariablesFromTheJobEnvironment() {
    JobFinished finished = run(task("expanding", "echo $ANGORA_TASK ${ANGORA_ATTEMPT} $NOPE")
        .env("UNUSED", "x"));

    assertThat(finished.output()).isEqualTo("expanding 1 $NOPE\n");
  }

  @Test
  void aJobCanStartFromAnEmptyEnvironmentWithExtraVariables() {
    ProcessExecutor bare = builder().inheritEnvironment(false)
        .environment(Map.of("ONLY", "this")).build();
    try {
      JobFinished finished = run(bare, task("bare", "/usr/bin/env").build());

      assertThat(environmentOf(finished.output())).containsOnlyKeys("ONLY", "ANGORA_TASK",
          "ANGORA_RUN_ID", "ANGORA_WORKFLOW_ID", "ANGORA_MESSAGE", "ANGORA_PAYLOAD",
          "ANGORA_ATTEMPT").containsEntry("ONLY", "this");
    } finally {
      bare.close();
    }
  }

  private static Map<String, String> environmentOf(String envOutput) {
    Map<String, String> variables = new HashMap<>();
    for (String line : envOutput.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        variables.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return variables;
  }

  /** Gone: exited, or a zombie waiting for a (late) init to reap it. */
  private static boolean isGone(long pid) {
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
        return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
      } catch (IOException e) {
        return true; // gone between the two looks
      }
    }
    return true;
  }
}
