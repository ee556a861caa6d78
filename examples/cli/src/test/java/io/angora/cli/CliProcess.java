package io.angora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged command line as users run it: a separate JVM, in a working directory. */
final class CliProcess {
  static final Path JAR = Path.of("target", "angora-cli.jar");

  private CliProcess() {}

  /** What a command line run gave. */
  record Result(int exit, String out, String err) {}

  static Result run(Path work, Map<String, String> environment, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process = builder
        .directory(work.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("angora exits").isTrue();
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
