package io.angora.engine;

import io.angora.api.RunStore;
import io.angora.tck.RunStoreContract;

class InMemoryRunStoreTest extends RunStoreContract {
  @Override
  protected RunStore newStore() {
    return new InMemoryRunStore();
  }
}
