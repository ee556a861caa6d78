/** Helpers shared by the YAML task and schedule parsers. Internal: not an API. */
@NullMarked
package io.angora.engine.internal.yaml;

import org.jspecify.annotations.NullMarked;
