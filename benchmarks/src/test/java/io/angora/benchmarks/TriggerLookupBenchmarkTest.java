package io.angora.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.TaskDefinition;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerLookupBenchmarkTest {

  @ParameterizedTest
  @CsvSource({"10,0,hit", "10,10,miss", "1000,10,hit", "1000,0,miss", "1000,10,miss"})
  void indexAndLinearScanFindTheSameTasks(int tasks, int patternPercent, String lookup) {
    TriggerLookupBenchmark bench = new TriggerLookupBenchmark();
    bench.tasks = tasks;
    bench.patternPercent = patternPercent;
    bench.lookup = lookup;
    bench.setUp();
    TriggerLookupBenchmark scan = new TriggerLookupBenchmark();
    scan.tasks = tasks;
    scan.patternPercent = patternPercent;
    scan.lookup = lookup;
    scan.setUp();

    for (int i = 0; i < 300; i++) {
      List<TaskDefinition> byIndex = bench.index();
      List<TaskDefinition> byScan = scan.linearScan();
      assertThat(byIndex).containsExactlyInAnyOrderElementsOf(byScan);
      assertThat(byIndex).hasSize(lookup.equals("hit") ? 1 : 0);
    }
  }
}
