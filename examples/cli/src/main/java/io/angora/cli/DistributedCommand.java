package io.angora.cli;

import io.angora.engine.Angora;
import io.angora.engine.AngoraBuilder;
import io.angora.engine.Role;
import io.angora.http.AngoraHttpServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code angora coordinator} and {@code angora worker}: one role of a distributed installation
 * on RabbitMQ, running until stopped (SIGTERM or Ctrl-C stop it gracefully). The coordinator
 * keeps the run store and serves the web API and UI, like {@code angora run}.
 */
final class DistributedCommand {
  private DistributedCommand() {}

  static int coordinator(List<String> argv, PrintStream out, PrintStream err)
      throws InterruptedException {
    Set<String> valued = new HashSet<>(AmqpOptions.VALUED);
    valued.addAll(Set.of("tasks", "store", "heartbeat", "lease"));
    valued.addAll(Http.VALUED);
    Set<String> flags = new HashSet<>(AmqpOptions.FLAGS);
    flags.add("no-http");
    Args args = Args.parse(argv, valued, flags);
    noPositional(args, "coordinator");
    Angora angora = leases(Angora.builder(), args).role(Role.COORDINATOR)
        .tasks(Path.of(args.get("tasks", "tasks")))
        .runStore(Stores.open(args.get("store", Stores.DEFAULT)))
        .transport(AmqpOptions.connect(args, "coordinator"))
        .listener(new RunPrinter(out))
        .build();
    serve(angora, args.flag("no-http") ? null : args, out, err,
        () -> angora.tasks().size() + " tasks and " + angora.schedules().size()
            + " schedules from " + angora.taskSource());
    return 0;
  }

  static int worker(List<String> argv, PrintStream err) throws InterruptedException {
    Set<String> valued = new HashSet<>(AmqpOptions.VALUED);
    valued.addAll(Set.of("concurrency", "name", "grace", "heartbeat", "lease",
        Launchers.OPTION));
    Args args = Args.parse(argv, valued, AmqpOptions.FLAGS);
    noPositional(args, "worker");
    int concurrency = args.intValue("concurrency",
        Math.max(2, Runtime.getRuntime().availableProcessors()));
    AngoraBuilder builder = leases(Angora.builder(), args).role(Role.WORKER)
        .concurrency(concurrency)
        .executor(Launchers.executor(args))
        .shutdownGrace(Duration.ofSeconds(args.intValue("grace", 30)))
        .transport(AmqpOptions.connect(args, "worker"));
    args.get("name").ifPresent(builder::workerName);
    serve(builder.build(), null, System.out, err, () -> "concurrency " + concurrency);
    return 0;
  }

  /**
   * {@code --heartbeat SECONDS} (default 5) and {@code --lease SECONDS} (default three
   * heartbeats): the same on the coordinator and every worker.
   */
  private static AngoraBuilder leases(AngoraBuilder builder, Args args) {
    int heartbeat = args.intValue("heartbeat", 5);
    int lease = args.intValue("lease", 3 * heartbeat);
    if (heartbeat < 1 || lease <= heartbeat) {
      throw new Args.UsageException("--heartbeat needs 1 or more seconds and --lease more than "
          + "the heartbeat, not --heartbeat " + heartbeat + " --lease " + lease);
    }
    return builder.heartbeat(Duration.ofSeconds(heartbeat)).leaseLength(Duration.ofSeconds(lease));
  }

  /** Starts the engine (and the web API when {@code http} options are given) until a signal. */
  private static void serve(Angora angora, @Nullable Args http, PrintStream out,
      PrintStream err, Supplier<String> what) throws InterruptedException {
    angora.start();
    AngoraHttpServer server;
    try {
      server = http == null ? null : Http.start(angora, http);
    } catch (RuntimeException e) {
      angora.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      err.println("angora: stopping " + angora.role().name().toLowerCase()
          + " (running jobs get the grace period to finish)");
      if (server != null) {
        server.close();
      }
      angora.close();
    }, "angora-shutdown"));
    err.println("angora: " + angora.role().name().toLowerCase() + " started, " + what.get()
        + "; stop with Ctrl-C or SIGTERM");
    if (server != null) {
      out.println("Angora web UI and API: " + server.url());
      out.flush();
    }
    new CountDownLatch(1).await(); // runs until a signal stops the JVM
  }

  private static void noPositional(Args args, String command) {
    if (!args.positional().isEmpty()) {
      throw new Args.UsageException("'" + command + "' takes no argument '"
          + args.positional().get(0) + "'");
    }
  }
}
