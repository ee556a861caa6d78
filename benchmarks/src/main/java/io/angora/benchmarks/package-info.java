/** JMH benchmarks of Angora's parts. */
@NullMarked
package io.angora.benchmarks;

import org.jspecify.annotations.NullMarked;
