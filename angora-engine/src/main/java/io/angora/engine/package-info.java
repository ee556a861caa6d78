/**
 * Angora's engine: the {@code Angora} entry point, task sources, the process executor and the
 * in-memory transport and run store.
 */
@NullMarked
package io.angora.engine;

import org.jspecify.annotations.NullMarked;
