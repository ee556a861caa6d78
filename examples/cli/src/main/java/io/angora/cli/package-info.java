/** The {@code angora} command line: run, check, send, coordinator, worker. */
@NullMarked
package io.angora.cli;

import org.jspecify.annotations.NullMarked;
