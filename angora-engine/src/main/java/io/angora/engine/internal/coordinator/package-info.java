/**
 * The coordinator role: matches messages to tasks, records runs, hands out jobs, records
 * outcomes, sends follow-ups and schedules replays. Internal: not an API.
 */
@NullMarked
package io.angora.engine.internal.coordinator;

import org.jspecify.annotations.NullMarked;
