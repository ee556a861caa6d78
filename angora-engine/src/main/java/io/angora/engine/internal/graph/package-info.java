/**
 * The workflow graph of a task set: message edges, strongly connected components and cycles.
 * Internal: not an API.
 */
@NullMarked
package io.angora.engine.internal.graph;

import org.jspecify.annotations.NullMarked;
