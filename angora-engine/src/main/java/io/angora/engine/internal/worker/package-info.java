/**
 * The worker role: takes jobs from the transport, runs them through the executor and reports
 * their events. Internal: not an API.
 */
@NullMarked
package io.angora.engine.internal.worker;

import org.jspecify.annotations.NullMarked;
