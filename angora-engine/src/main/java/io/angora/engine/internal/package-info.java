/**
 * The engine's parts that are public for its own packages only, not API: they may change in any
 * release.
 */
@NullMarked
package io.angora.engine.internal;

import org.jspecify.annotations.NullMarked;
