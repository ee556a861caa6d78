/** Engine internals: public for the engine's own modules and benchmarks, not an API. */
@NullMarked
package io.angora.engine.internal;

import org.jspecify.annotations.NullMarked;
