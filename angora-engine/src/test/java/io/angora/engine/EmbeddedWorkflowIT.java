package io.angora.engine;

import io.angora.api.Transport;

/** The workflow contract over the embedded in-memory transport. */
class EmbeddedWorkflowIT extends WorkflowContract {
  @Override
  protected Transport newTransport() {
    return new InMemoryTransport();
  }
}
