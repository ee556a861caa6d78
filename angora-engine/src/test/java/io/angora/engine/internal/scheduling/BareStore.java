package io.angora.engine.internal.scheduling;

import io.angora.api.RunStore;
import io.angora.tck.ForwardingRunStore;

/** A run store without the optional schedule state: it keeps the defaults, which throw. */
final class BareStore extends ForwardingRunStore {
  BareStore(RunStore runs) {
    super(runs);
  }
}
