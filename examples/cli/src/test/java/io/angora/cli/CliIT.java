package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.cli.CliProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command line, run as users run it: a separate JVM with real processes. */
class CliIT {
  private static final Path JAR = CliProcess.JAR;
  private static final Path TASKS = Path.of("..", "..", "tasks");

  @TempDir Path work;

  private Result angora(String stdin, String... args) throws IOException, InterruptedException {
    return angora(Map.of(), stdin, args);
  }

  private Result angora(Map<String, String> environment, String stdin, String... args)
      throws IOException, InterruptedException {
    return CliProcess.run(work, environment, stdin, args);
  }

  @Test
  void checkPrintsTheGraphOfTheSampleTasks() throws Exception {
    Result result = angora("", "check", "--tasks", TASKS.toAbsolutePath().toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("step_1").contains("--example.step.2--> step_2")
        .contains("demo_join");
  }

  @Test
  void checkRefusesAHugeTimeoutNamingFileLineAndField() throws Exception {
    Path tasks = Files.createDirectories(work.resolve("tasks"));
    Files.writeString(tasks.resolve("huge.yml"), """
        - name: forever
          triggers: [forever.go]
          command: sleep 600
          timeout: 999999999h
        """);

    Result result = angora("", "check", "--tasks", tasks.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("huge.yml:4", "timeout", "999999999h",
        "limit of 30 days");
  }

  @Test
  void aJobsEnvironmentHoldsNoneOfAngorasSecretsAndItsLogIsNotWorldReadable()
      throws Exception {
    Path tasks = Files.createDirectories(work.resolve("tasks"));
    Path logs = work.resolve("logs");
    Path tokenFile = Files.writeString(work.resolve("token"), "t0ken-from-file\n");
    Files.writeString(tasks.resolve("env.yml"), """
        - name: printenv
          triggers: [env.show]
          command: /usr/bin/env
          log: %s
          env:
            PASSED_ON_PURPOSE: $ANGORA_TOKEN
          replay: 0
        """.formatted(logs));

    Result result = angora(Map.of(
            "ANGORA_TOKEN", "t0ken-in-env",
            "ANGORA_TOKEN_FILE", tokenFile.toString(),
            "ANGORA_AMQP_URI", "amqp://angora:br0ker-pw@127.0.0.1:1/",
            "ANGORA_AMQP_PASSWORD_FILE", work.resolve("amqp-pw").toString(),
            "ANGORA_DB_PASSWORD", "db-pw"),
        "", "run", "--no-http", "--store", "memory", "--tasks", tasks.toString(), "env.show");

    assertThat(result.exit()).as(result.err()).isZero();
    Path log = logs.resolve("printenv.log");
    String environment = Files.readString(log);
    assertThat(environment).contains("ANGORA_TASK=printenv", "ANGORA_RUN_ID=",
            "ANGORA_MESSAGE=env.show", "PASSED_ON_PURPOSE=t0ken-in-env")
        .doesNotContain("ANGORA_TOKEN=", "ANGORA_TOKEN_FILE", "ANGORA_AMQP_URI", "br0ker-pw",
            "ANGORA_AMQP_PASSWORD_FILE", "ANGORA_DB_PASSWORD", "db-pw");
    assertThat(Files.getPosixFilePermissions(log)).doesNotContain(
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.GROUP_WRITE);
  }

  @Test
  void checkNamesFileLineAndKeyOfAMisspeltKey() throws Exception {
    Path tasks = Files.createDirectories(work.resolve("tasks"));
    Files.writeString(tasks.resolve("bad.yml"), """
        - name: hello
          triggers: [hello]
          commmand: echo hello
        """);

    Result result = angora("", "check", "--tasks", tasks.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("bad.yml:3").contains("commmand");
  }

  @Test
  void checkShowsTheFlowKeysGroupsAndFailureEdgesOfTheSampleTasks() throws Exception {
    Result result = angora("", "check", "--tasks", TASKS.toAbsolutePath().toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("flow_report  [concurrency 1, priority 5]")
        .contains("flow_sync  [concurrency 1, overflow skip]")
        .contains("flow_mail  [rate 10/min]")
        .contains("--flow.failed--> flow_alert  [on failure]")
        .contains("database: at most 2 at once over flow_backup_orders, flow_backup_users")
        .doesNotContain("on_failure messages no trigger matches");
  }

  @Test
  void checkReportsAnUndeclaredGroupAndAnOnFailureMessageNobodyReceives() throws Exception {
    Path tasks = Files.createDirectories(work.resolve("flow"));
    Files.writeString(tasks.resolve("t.yml"), """
        - {name: a, triggers: a, command: c, on_failure: [a.failed]}
        """);
    Result warned = angora("", "check", "--tasks", tasks.toString());
    assertThat(warned.exit()).as(warned.err()).isZero();
    assertThat(warned.out()).contains("on_failure messages no trigger matches:",
        "a sends a.failed on failure");

    Files.writeString(tasks.resolve("t.yml"), """
        - {name: a, triggers: a, command: c, concurrency_group: db}
        """);
    Result bad = angora("", "check", "--tasks", tasks.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("t.yml:1: concurrency_group:", "'db' is not declared");
  }

  @Test
  void checkListsTheTasksEachSampleScheduleTriggers() throws Exception {
    Result result = angora("", "check", "--tasks", TASKS.toAbsolutePath().toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("Schedules (2):")
        .containsPattern("time: cron \"\\*/5 1-5 \\* \\* \\*\" UTC, next .* -> at_0105")
        .containsPattern("interval.30: every 30m UTC, next .* -> every_30_minutes")
        .doesNotContain("trigger no task");
  }

  @Test
  void checkNamesFileLineAndFieldOfABadScheduleAndWarnsAboutAnIdleOne() throws Exception {
    Path tasks = Files.createDirectories(work.resolve("tasks"));
    Files.writeString(tasks.resolve("schedules.yml"), """
        - name: nightly
          cron: "5 1 * * *"
          zone: Mars/Olympus
          message: time.{HHmm}
        """);

    Result bad = angora("", "check", "--tasks", tasks.toString());

    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("schedules.yml:3: zone: ").contains("Mars/Olympus");

    Files.writeString(tasks.resolve("schedules.yml"), """
        - cron: "@daily"
          message: nobody.listens
        """);
    Result idle = angora("", "check", "--tasks", tasks.toString());

    assertThat(idle.exit()).as(idle.err()).isZero();
    assertThat(idle.out()).contains("schedule 'nobody.listens'").contains("triggers no task");
  }

  @Test
  void runTakesMessagesFromStandardInputAndStopsAtItsEnd() throws Exception {
    Result result = angora("example.step.1\n", "run", "--tasks",
        TASKS.toAbsolutePath().toString(), "--store", "memory", "--no-http");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).containsPattern("SUCCEEDED +step_1 ")
        .containsPattern("SUCCEEDED +step_2 ").containsPattern("SUCCEEDED +step_5 ");
  }

  @Test
  void sendReadsAngoraUrlAndWarnsWhenNoTaskHasAMatchingTrigger() throws Exception {
    try (io.angora.engine.Angora engine = io.angora.engine.Angora.builder()
        .task(io.angora.api.TaskDefinition.builder("hello").triggers("greet.world")
            .command("true").build()).build()) {
      engine.start();
      try (io.angora.http.AngoraHttpServer server = io.angora.http.AngoraHttpServer.start(engine,
          io.angora.http.HttpOptions.builder().port(0).build())) {
        java.util.Map<String, String> env = java.util.Map.of("ANGORA_URL", server.url());
        Result matched = angora(env, "", "send", "greet.world");
        assertThat(matched.exit()).as(matched.err()).isZero();
        assertThat(matched.out()).contains("\"tasks\":1");
        assertThat(matched.err()).doesNotContain("warning");

        Result typo = angora(env, "", "send", "greet.wrold");
        assertThat(typo.exit()).as(typo.err()).isZero();
        assertThat(typo.err()).contains("angora: warning: no task has a trigger matching "
            + "'greet.wrold'; the nearest trigger is 'greet.world'");
      }
    }
  }

  @Test
  void aServiceSaysWhereItsMessagesComeFrom() throws Exception {
    Path tasks = Files.createDirectories(work.resolve("svc"));
    Files.writeString(tasks.resolve("t.yml"), "- name: t\n  triggers: [t]\n  command: \"true\"\n");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString(), "run", "--tasks", tasks.toString(),
        "--store", "memory", "--no-http"));
    Path err = work.resolve("svc-err.txt");
    Process process = new ProcessBuilder(command).directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
          .until(() -> Files.readString(err).contains("runs until stopped"));
      assertThat(Files.readString(err)).doesNotContain("arguments and standard input")
          .contains("no HTTP (--no-http), no standard input");
    } finally {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void anUnknownOptionIsAUsageError() throws Exception {
    Result result = angora("", "run", "--colour", "blue");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("unknown option --colour");
  }
}
