package io.angora.cli;

import io.angora.engine.Angora;
import io.angora.engine.AngoraBuilder;
import io.angora.http.AngoraHttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code angora run}: an all-in-one installation. Messages come from the arguments and from
 * standard input, one per line; at the end of the input it waits for the work to finish and
 * stops. With standard input at {@code /dev/null} (a service) it runs until stopped.
 */
final class RunCommand {
  static final Set<String> VALUED = union(Set.of("tasks", "concurrency", "grace", "store",
      Launchers.OPTION), Http.VALUED, AmqpOptions.VALUED);
  static final Set<String> FLAGS = Set.of("no-http", "insecure");

  private RunCommand() {}

  static int run(List<String> argv, InputStream in, PrintStream out, PrintStream err)
      throws InterruptedException {
    Args args = Args.parse(argv, VALUED, FLAGS);
    Path tasks = Path.of(args.get("tasks", "tasks"));
    AngoraBuilder builder = Angora.builder();
    if (args.get("amqp").isPresent()) {
      builder.transport(AmqpOptions.connect(args, "run")); // coordinator + worker on RabbitMQ
    }
    Angora angora = builder
        .tasks(tasks)
        .runStore(Stores.open(args.get("store", Stores.DEFAULT)))
        .executor(Launchers.executor(args))
        .concurrency(args.intValue("concurrency", Math.max(2,
            Runtime.getRuntime().availableProcessors())))
        .shutdownGrace(Duration.ofSeconds(args.intValue("grace", 30)))
        .listener(new RunPrinter(out))
        .build();
    angora.start();
    AngoraHttpServer http = null;
    try {
      http = args.flag("no-http") ? null : Http.start(angora, args);
    } catch (RuntimeException e) {
      angora.close();
      throw e;
    }
    AngoraHttpServer server = http;
    Thread hook = new Thread(() -> {
      err.println("angora: stopping (running jobs get the grace period to finish)");
      if (server != null) {
        server.close();
      }
      angora.close();
    }, "angora-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int schedules = angora.schedules().size();
    boolean service = stdinIsDevNull();
    String from = service
        ? (server != null ? "messages from " + server.url() + "send and the web UI" : "messages "
            + (schedules == 0 ? "from nowhere: no HTTP (--no-http), no standard input"
            : "from the schedules only"))
            + (args.get("amqp").isPresent() ? " and RabbitMQ" : "") + "; runs until stopped"
        : "messages from arguments and standard input, one per line";
    err.println("angora: " + angora.tasks().size() + " tasks"
        + (schedules == 0 ? "" : " and " + schedules + " schedules") + " from "
        + angora.taskSource() + "; " + from);
    if (server != null) {
      out.println("Angora web UI and API: " + server.url());
      out.flush();
    }
    for (String message : args.positional()) {
      sendLine(angora, message, err);
    }
    if (service) {
      new CountDownLatch(1).await(); // a service: runs until a signal stops the JVM
    }
    readLines(angora, in, err);
    angora.awaitIdle(Duration.ofDays(365));
    Runtime.getRuntime().removeShutdownHook(hook);
    if (server != null) {
      server.close();
    }
    angora.close();
    return 0;
  }

  private static void readLines(Angora angora, InputStream in, PrintStream err) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        sendLine(angora, line, err);
      }
    } catch (IOException e) {
      err.println("angora: standard input: " + e.getMessage());
    }
  }

  private static void sendLine(Angora angora, String line, PrintStream err) {
    String message = line.strip();
    if (message.isEmpty() || message.startsWith("#")) {
      return;
    }
    try {
      angora.send(message);
    } catch (IllegalArgumentException | io.angora.api.TransportException e) {
      err.println("angora: " + e.getMessage());
    }
  }

  private static boolean stdinIsDevNull() {
    try {
      return Files.isSameFile(Path.of("/proc/self/fd/0"), Path.of("/dev/null"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new java.util.HashSet<>();
    for (Set<String> set : sets) {
      all.addAll(set);
    }
    return Set.copyOf(all);
  }
}
