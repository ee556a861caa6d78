package io.angora.cli;

import io.angora.engine.Angora;
import io.angora.engine.Role;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * {@code angora coordinator} and {@code angora worker}: one role of a distributed installation
 * on RabbitMQ, running until stopped (SIGTERM or Ctrl-C stop it gracefully).
 */
final class DistributedCommand {
  private DistributedCommand() {}

  static int coordinator(List<String> argv, PrintStream out, PrintStream err)
      throws InterruptedException {
    Set<String> valued = new HashSet<>(AmqpOptions.VALUED);
    valued.add("tasks");
    Args args = Args.parse(argv, valued, Set.of());
    noPositional(args, "coordinator");
    Angora angora = Angora.builder().role(Role.COORDINATOR)
        .tasks(Path.of(args.get("tasks", "tasks")))
        .transport(AmqpOptions.connect(args, "coordinator"))
        .listener(new RunPrinter(out))
        .build();
    serve(angora, err, () -> angora.tasks().size() + " tasks from " + angora.taskSource());
    return 0;
  }

  static int worker(List<String> argv, PrintStream err) throws InterruptedException {
    Set<String> valued = new HashSet<>(AmqpOptions.VALUED);
    valued.addAll(Set.of("concurrency", "name", "grace"));
    Args args = Args.parse(argv, valued, Set.of());
    noPositional(args, "worker");
    int concurrency = args.intValue("concurrency",
        Math.max(2, Runtime.getRuntime().availableProcessors()));
    Angora.Builder builder = Angora.builder().role(Role.WORKER).concurrency(concurrency)
        .shutdownGrace(Duration.ofSeconds(args.intValue("grace", 30)))
        .transport(AmqpOptions.connect(args, "worker"));
    args.get("name").ifPresent(builder::workerName);
    serve(builder.build(), err, () -> "concurrency " + concurrency);
    return 0;
  }

  private static void serve(Angora angora, PrintStream err, Supplier<String> what)
      throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      err.println("angora: stopping " + angora.role().name().toLowerCase()
          + " (running jobs get the grace period to finish)");
      angora.close();
    }, "angora-shutdown"));
    angora.start();
    err.println("angora: " + angora.role().name().toLowerCase() + " started, " + what.get()
        + "; stop with Ctrl-C or SIGTERM");
    new CountDownLatch(1).await(); // runs until a signal stops the JVM
  }

  private static void noPositional(Args args, String command) {
    if (!args.positional().isEmpty()) {
      throw new Args.UsageException("'" + command + "' takes no argument '"
          + args.positional().get(0) + "'");
    }
  }
}
