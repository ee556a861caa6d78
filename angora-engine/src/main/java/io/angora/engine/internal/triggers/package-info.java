/**
 * Matching message text to task triggers (exact words and AMQP topic patterns) and the task set
 * in force. Internal: not an API.
 */
@NullMarked
package io.angora.engine.internal.triggers;

import org.jspecify.annotations.NullMarked;
