package io.angora.engine;

import io.angora.api.RunStore;
import io.angora.tck.ScheduleStateContract;

class InMemoryScheduleStateTest extends ScheduleStateContract {
  @Override
  protected RunStore newStore() {
    return new InMemoryRunStore();
  }
}
