package io.angora.engine;

import io.angora.api.Transport;
import io.angora.tck.TransportContract;

/** The transport contract over the embedded in-memory transport. */
class InMemoryTransportTest extends TransportContract {
  @Override
  protected Transport newTransport() {
    return new InMemoryTransport();
  }
}
