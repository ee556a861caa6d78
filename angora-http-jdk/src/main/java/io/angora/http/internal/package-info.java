/** Routing, request handling, JSON views and metrics behind {@link io.angora.http.AngoraHttpServer}. */
@NullMarked
package io.angora.http.internal;

import org.jspecify.annotations.NullMarked;
