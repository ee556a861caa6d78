/** The in-memory transport's queues. Internal: not an API. */
@NullMarked
package io.angora.engine.internal.memory;

import org.jspecify.annotations.NullMarked;
