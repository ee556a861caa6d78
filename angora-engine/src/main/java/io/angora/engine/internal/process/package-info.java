/**
 * Running a task's command as a process: command-line splitting, environment, log file, output
 * tail, process-tree kill. Internal: not an API.
 */
@NullMarked
package io.angora.engine.internal.process;

import org.jspecify.annotations.NullMarked;
