package io.angora.engine;

import io.angora.amqp.AmqpTestBroker;
import io.angora.amqp.AmqpTransport;
import io.angora.api.JobEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A consumer of job events in its own JVM, standing for a coordinator that dies in the middle of
 * a batch: it appends the run id of each outcome it is handed to a file, acknowledges only the
 * first, and waits to be killed with SIGKILL. Started by {@link OutcomeBatchIT}. Arguments:
 * queue prefix, the file.
 */
public final class ChildEventConsumer {
  private ChildEventConsumer() {}

  /**
   * Consumes until killed.
   *
   * @param args prefix, file
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    Path file = Path.of(args[1]);
    AtomicBoolean first = new AtomicBoolean(true);
    AmqpTransport transport = AmqpTestBroker.transport(args[0], "dying-consumer");
    transport.consumeEvents(d -> {
      if (d.body() instanceof JobEvent.JobFinished f) {
        try {
          Files.writeString(file, f.runId() + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (first.getAndSet(false)) {
          d.ack();
        }
      } else {
        d.ack();
      }
    });
    System.out.println("child consumer started");
    new CountDownLatch(1).await();
  }
}
