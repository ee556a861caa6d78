package io.angora.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the generated JMH harness once, briefly, in this JVM: the benchmark list is valid. */
class JmhSmokeTest {

  @Test
  void triggerLookupBenchmarksRun() throws Exception {
    Options options = new OptionsBuilder()
        .include(TriggerLookupBenchmark.class.getSimpleName())
        .param("tasks", "10").param("patternPercent", "10").param("lookup", "hit")
        .forks(0).warmupIterations(0).measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .shouldFailOnError(true)
        .build();

    Collection<RunResult> results = new Runner(options).run();

    assertThat(results).hasSize(2);
    assertThat(results).allSatisfy(r ->
        assertThat(r.getPrimaryResult().getScore()).isPositive());
  }
}
