/**
 * Angora's model and its service provider interfaces.
 *
 * <p>The model is a set of immutable records: {@link io.angora.api.TaskDefinition},
 * {@link io.angora.api.Message}, {@link io.angora.api.Job}, {@link io.angora.api.Run} and the
 * {@link io.angora.api.JobEvent}s workers report. The four SPIs are {@link
 * io.angora.api.TaskSource} (where tasks come from), {@link io.angora.api.Transport} (how
 * messages, jobs and outcomes travel), {@link io.angora.api.Executor} (how a job runs) and
 * {@link io.angora.api.RunStore} (where runs are recorded); {@link io.angora.api.RunListener}
 * observes runs as they change.
 */
@NullMarked
package io.angora.api;

import org.jspecify.annotations.NullMarked;
