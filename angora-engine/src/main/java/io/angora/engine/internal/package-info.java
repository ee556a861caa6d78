/**
 * Engine parts that are public for the engine's own modules, benchmarks and tools, but are not
 * API: they may change in any release.
 */
@NullMarked
package io.angora.engine.internal;

import org.jspecify.annotations.NullMarked;
