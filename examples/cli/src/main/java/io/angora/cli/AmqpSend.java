package io.angora.cli;

import io.angora.amqp.AmqpTransport;
import io.angora.api.Message;
import io.angora.api.TransportException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code angora send MSG --amqp URI}: publishes one message to the coordinator's
 * {@code initialize} queue and prints its id and workflow id once the broker confirmed it.
 * Exits 1 when the broker is unreachable or refuses it.
 */
final class AmqpSend {
  private AmqpSend() {}

  static int send(Args args, PrintStream out, PrintStream err) {
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
    out.println("{\"messageId\":\"" + message.id() + "\",\"workflowId\":\""
        + message.workflowId() + "\"}");
    return 0;
  }
}
