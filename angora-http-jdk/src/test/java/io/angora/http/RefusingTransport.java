package io.angora.http;

import io.angora.api.Message;
import io.angora.api.TransportException;
import io.angora.engine.InMemoryTransport;
import io.angora.tck.ForwardingTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** An in-memory transport that can be told to refuse messages, as a broker that is down. */
final class RefusingTransport extends ForwardingTransport {
  final AtomicBoolean refuse = new AtomicBoolean();

  RefusingTransport() {
    super(new InMemoryTransport());
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
    if (refuse.get()) {
      return CompletableFuture.failedFuture(
          new TransportException("broker unreachable: queue 'initialize' refused the message"));
    }
    return super.send(message);
  }
}
