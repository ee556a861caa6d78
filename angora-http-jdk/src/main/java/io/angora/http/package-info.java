/**
 * The Angora web API and web UI on the JDK's {@code com.sun.net.httpserver.HttpServer}: start
 * one with {@link io.angora.http.AngoraHttpServer#start(io.angora.engine.Angora, HttpOptions)}.
 */
@NullMarked
package io.angora.http;

import org.jspecify.annotations.NullMarked;
