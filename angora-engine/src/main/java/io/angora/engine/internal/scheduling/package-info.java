/** Firing schedules on the coordinator's clock. Internal: not an API. */
@NullMarked
package io.angora.engine.internal.scheduling;

import org.jspecify.annotations.NullMarked;
