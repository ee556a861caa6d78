package io.angora.cli;

import io.angora.amqp.AmqpTransport;
import io.angora.api.Message;
import io.angora.api.TransportException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code angora send MSG --amqp URI}: publishes one message to the coordinator's
 * {@code initialize} queue and prints its id and workflow id once the broker confirmed it.
 * Exits 1 when the broker is unreachable or refuses it.
 */
final class SendCommand {
  private SendCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> valued = new HashSet<>(AmqpOptions.VALUED);
    valued.addAll(Set.of("payload", "workflow", "task"));
    Args args = Args.parse(argv, valued, Set.of());
    if (args.positional().size() != 1) {
      throw new Args.UsageException("'send' needs exactly one message, e.g. angora send "
          + "example.step.1 --amqp URI");
    }
    String id = UUID.randomUUID().toString();
    Message message = new Message(id, args.positional().get(0).strip(),
        args.get("payload").orElse(null), args.get("workflow").orElse(id), null,
        args.get("task").orElse(null), Instant.now());
    try (AmqpTransport transport = AmqpOptions.connect(args, "send")) {
      transport.send(message).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      err.println("angora: message not sent: " + e.getCause().getMessage());
      return 1;
    } catch (TimeoutException e) {
      err.println("angora: message not confirmed by the broker within 30 s");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (TransportException e) {
      err.println("angora: " + e.getMessage());
      return 1;
    }
    out.println("sent " + message.text() + " messageId=" + message.id() + " workflowId="
        + message.workflowId());
    return 0;
  }
}
