/**
 * The Angora engine: {@link io.angora.engine.Angora}, its builder, and the defaults it wires in
 * (YAML task source, process executor, in-memory transport and run store).
 */
@NullMarked
package io.angora.engine;

import org.jspecify.annotations.NullMarked;
