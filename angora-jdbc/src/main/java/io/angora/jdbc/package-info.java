/**
 * A durable {@link io.angora.api.RunStore} over JDBC: {@link io.angora.jdbc.JdbcRunStore} on an
 * SQLite file (the embedded default) or PostgreSQL (shared installations), with versioned
 * schema migrations, batched writes and background retention ({@link
 * io.angora.jdbc.RetentionPolicy}).
 */
@NullMarked
package io.angora.jdbc;

import org.jspecify.annotations.NullMarked;
