/**
 * Angora's engine: the {@code Angora} entry point and its default parts, among them the YAML
 * task source {@link io.angora.engine.YamlTaskSource}.
 */
@NullMarked
package io.angora.engine;

import org.jspecify.annotations.NullMarked;
