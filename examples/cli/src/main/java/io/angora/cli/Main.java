package io.angora.cli;

import io.angora.api.AngoraException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the {@code angora} command line. */
public final class Main {
  private static final String USAGE = """
      usage: angora <command> [options]

        run [--tasks DIR] [--concurrency N] [--grace SECONDS] [MESSAGE...]
            [--store angora.db|FILE|JDBC-URL|memory]
            [--port 8080] [--bind 127.0.0.1] [--token T] [--no-http] [--amqp URI]
            [--launcher auto|posix_spawn|jdk]
            all-in-one: coordinator and workers in this process, web UI and API on
            http://127.0.0.1:8080; messages from the arguments and standard input, one
            per line; stops at the end of the input (runs until stopped when standard
            input is /dev/null); runs are kept in the SQLite file angora.db unless --store
            says otherwise; a bind other than loopback needs --token or ANGORA_TOKEN;
            with --amqp, jobs also go to workers on RabbitMQ
        send MESSAGE [--url http://127.0.0.1:8080] [--payload P] [--workflow ID]
            posts a message to a running Angora
        send MESSAGE --amqp URI [--queue-prefix P] [--payload P] [--workflow ID] [--task NAME]
            publishes it to RabbitMQ instead; exit 1 when the broker does not accept it
        check [--tasks DIR]
            validates the task files; prints the errors (exit 1) or the workflow graph
        coordinator --amqp URI [--queue-prefix P] [--tasks DIR]
            the one coordinator of a distributed installation on RabbitMQ
        worker --amqp URI [--queue-prefix P] [--concurrency N] [--name NAME] [--grace SECONDS]
            runs jobs from the broker; needs no task files and no store
        (run and worker: --launcher says how jobs start: posix_spawn through JNA, the JDK's
         ProcessBuilder, or auto, the default: posix_spawn where it can run)
        (coordinator and worker: --amqp defaults to the ANGORA_AMQP_URI environment variable;
        --heartbeat SECONDS (5) and --lease SECONDS (3 heartbeats), the same on all of them:
        a running job whose worker sent no heartbeat for a lease is interrupted and replayed)
      """;

  private Main() {}

  /**
   * Runs a command and exits with its status.
   *
   * @param argv the command and its options
   */
  public static void main(String[] argv) {
    System.exit(run(Arrays.asList(argv), System.out, System.err));
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
      out.print(USAGE);
      return argv.isEmpty() ? 2 : 0;
    }
    List<String> rest = argv.subList(1, argv.size());
    try {
      return switch (argv.get(0)) {
        case "run" -> RunCommand.run(rest, System.in, out, err);
        case "check" -> CheckCommand.run(rest, out, err);
        case "coordinator" -> DistributedCommand.coordinator(rest, out, err);
        case "worker" -> DistributedCommand.worker(rest, err);
        case "send" -> SendCommand.run(rest, out, err);
        default -> throw new Args.UsageException("unknown command '" + argv.get(0) + "'");
      };
    } catch (Args.UsageException e) {
      err.println("angora: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (AngoraException e) {
      err.println("angora: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
