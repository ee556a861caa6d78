package io.angora.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An {@link EmbeddingApplication} in a JVM of its own, stopped on close. */
final class ChildServer implements AutoCloseable {
  private final Process process;
  private final int port;

  /**
   * Starts it and waits for its port.
   *
   * @param jvmOptions options for its JVM, e.g. a system property; none for the defaults
   * @param args the application's arguments
   */
  ChildServer(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        EmbeddingApplication.class.getName()));
    command.addAll(List.of(args));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      Integer found = null;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.matches("port \\d+")) {
          found = Integer.parseInt(line.substring(5));
          break;
        }
        seen.append(line).append('\n');
      }
      if (found == null) {
        throw new IllegalStateException("the embedding application did not start:\n" + seen);
      }
      port = found;
      Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "child-output");
      drain.setDaemon(true);
      drain.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
