/**
 * Benchmarks of Angora: JMH benchmarks (trigger lookup, task loading, run store listing and
 * writes), and the end-to-end throughput harness {@link io.angora.benchmarks.Throughput} that
 * compares each deployment mode to a bare process-spawn loop measured in the same run.
 */
@org.jspecify.annotations.NullMarked
package io.angora.benchmarks;
