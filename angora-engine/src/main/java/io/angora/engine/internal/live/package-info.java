/**
 * Live output across machines: a worker ships the output of its running jobs to the
 * coordinator in bounded chunks ({@link io.angora.engine.internal.live.ShippingExecutor}),
 * and the coordinator keeps a bounded tail of each remote run's output while it runs
 * ({@link io.angora.engine.internal.live.RemoteOutputs}). Internal: not an API.
 */
@NullMarked
package io.angora.engine.internal.live;

import org.jspecify.annotations.NullMarked;
