/**
 * The parts of {@link io.angora.jdbc.JdbcRunStore}: dialects, schema migration, the in-memory
 * overlay of pending writes, the writer and pruner threads. Public for the store only; not API.
 */
@NullMarked
package io.angora.jdbc.internal;

import org.jspecify.annotations.NullMarked;
