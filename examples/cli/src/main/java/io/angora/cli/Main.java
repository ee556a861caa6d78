package io.angora.cli;

import io.angora.api.AngoraException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Entry point of the {@code angora} command line. */
public final class Main {
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  /** Each command's usage, in the order shown. */
  private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("run", """
          run [--tasks tasks] [--concurrency %d] [--grace 30] [--store angora.db] [MESSAGE...]
              [--port 8080] [--bind 127.0.0.1] [--token T] [--no-http] [--amqp URI]
              [--launcher auto]
              all-in-one: coordinator and workers in this process, web UI and API on
              http://127.0.0.1:8080 (--port, --bind; --no-http for none). Messages come from the
              arguments and standard input, one per line; it stops at the end of the input, or
              runs until stopped (Ctrl-C, SIGTERM) as a service when standard input is
              /dev/null. --concurrency: jobs at once, default max(2, CPUs) = %d here. --grace:
              seconds running jobs get to finish when stopping. --store: the SQLite file
              angora.db by default, or FILE, a JDBC URL, or memory. A bind other than loopback
              needs --token or ANGORA_TOKEN. With --amqp, jobs go through RabbitMQ (other
              workers may join). --launcher says how jobs start: posix_spawn through JNA,
              the JDK's ProcessBuilder (jdk), or auto: posix_spawn where it can run.
        """.formatted(Math.max(2, CPUS), Math.max(2, CPUS)));
    COMMANDS.put("send", """
          send MESSAGE [--url $ANGORA_URL or http://127.0.0.1:8080] [--token $ANGORA_TOKEN]
              [--payload P] [--workflow ID]
              posts a message to a running Angora's /send and says how many tasks it triggers
              (a warning with the nearest trigger when none)
          send MESSAGE --amqp URI [--queue-prefix angora] [--payload P] [--workflow ID] [--task N]
              publishes it to RabbitMQ instead; exit 1 when the broker does not accept it
        """);
    COMMANDS.put("check", """
          check [--tasks tasks]
              validates the task files; prints the errors (exit 1) or the workflow graph
        """);
    COMMANDS.put("explain", """
          explain MESSAGE [--tasks tasks] [--workflow ID] [--depth 1] [--store FILE|JDBC-URL]
          explain MESSAGE --url URL [--token T] [--workflow ID] [--depth 1]
          explain --task NAME [...]
              says what MESSAGE would do, without sending, running or recording anything: the
              tasks it triggers and through which trigger (exact or * / # pattern), what would
              hold each back (parent_success, concurrency, rate), the messages they would send
              on success and on failure, --depth levels down (1 to 20; each task shown once,
              cycles marked). Reads the task files alone: no running Angora needed. Holds
              within a --workflow need its runs: --store of a stopped installation, or --url of
              a running one (default ANGORA_URL when neither --tasks nor --store is given),
              which also checks the concurrency and rate limits now. --task NAME explains a
              manual run. Exit 0 when it triggers a task, 1 when none (with the nearest trigger)
        """);
    COMMANDS.put("coordinator", """
          coordinator --amqp URI --secret-file FILE [--queue-prefix angora] [--tasks tasks]
              [--store angora.db] [--port 8080] [--bind 127.0.0.1] [--token T] [--no-http] [--heartbeat 5] [--lease 15]
              the one coordinator of a distributed installation on RabbitMQ: keeps the run
              store (--store as for run), fires the schedules, serves the web UI and API
        """);
    COMMANDS.put("worker", """
          worker --amqp URI --secret-file FILE [--queue-prefix angora] [--concurrency %d]
              [--name host-pid-x] [--grace 30] [--heartbeat 5] [--lease 15] [--launcher auto]
              runs jobs from the broker; needs no task files and no store. --heartbeat and
              --lease (seconds, default three heartbeats) must match the coordinator's: a
              running job whose worker sent no heartbeat for a lease is interrupted and
              replayed. --launcher as for run
        """.formatted(Math.max(2, CPUS)));
  }

  private static final String FOOTER = """
        (coordinator and worker: --amqp defaults to the ANGORA_AMQP_URI environment variable,
        --secret-file to ANGORA_SECRET_FILE: the same key file, readable by its owner only, on
        the coordinator and every worker, signs the jobs and outcomes between them; make one
        with head -c 32 /dev/urandom > angora.key; chmod 600 angora.key; --insecure runs
        without one, for a broker nobody else can reach)
        (web API of run and coordinator: --token-file FILE or ANGORA_TOKEN_FILE rather than
        --token, which every local user can read; --allow-origin ORIGIN lets a UI served
        elsewhere change state, --allow-host NAME serves a name of your own besides the
        loopback ones, each repeatable; broker: a URI without the password plus
        --amqp-password-file FILE or ANGORA_AMQP_PASSWORD_FILE keeps it off the command line)
        angora COMMAND --help (or -h) shows one command's usage
      """;

  static String usage() {
    return "usage: angora <command> [options]\n\n" + String.join("", COMMANDS.values())
        + FOOTER;
  }

  private static String usage(String command) {
    return "usage: angora " + COMMANDS.get(command).stripLeading();
  }

  private static final Set<String> HELP = Set.of("--help", "-h", "help");

  private Main() {}

  /** Whether the words before a {@code --} ask for help. */
  private static boolean asksForHelp(List<String> words) {
    for (String word : words) {
      if (word.equals("--")) {
        return false;
      }
      if (word.equals("--help") || word.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs a command and exits with its status.
   *
   * @param argv the command and its options
   */
  public static void main(String[] argv) {
    System.exit(run(Arrays.asList(argv), System.out, System.err));
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    if (argv.isEmpty()) {
      err.print(usage());
      return 2;
    }
    String command = argv.get(0);
    if (HELP.contains(command)) {
      out.print(argv.size() > 1 && COMMANDS.containsKey(argv.get(1)) ? usage(argv.get(1))
          : usage());
      return 0;
    }
    List<String> rest = argv.subList(1, argv.size());
    if (COMMANDS.containsKey(command) && asksForHelp(rest)) {
      out.print(usage(command));
      return 0;
    }
    try {
      return switch (argv.get(0)) {
        case "run" -> RunCommand.run(rest, System.in, out, err);
        case "check" -> CheckCommand.run(rest, out, err);
        case "coordinator" -> DistributedCommand.coordinator(rest, out, err);
        case "worker" -> DistributedCommand.worker(rest, err);
        case "send" -> SendCommand.run(rest, out, err);
        case "explain" -> ExplainCommand.run(rest, out, err);
        default -> throw new Args.UsageException("unknown command '" + command + "'");
      };
    } catch (Args.UsageException e) {
      err.println("angora: " + e.getMessage());
      err.print(COMMANDS.containsKey(command) ? usage(command) : usage());
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
