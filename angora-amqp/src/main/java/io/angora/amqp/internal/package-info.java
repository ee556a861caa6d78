/**
 * Internals of the RabbitMQ transport: the wire format (a small strict JSON codec, message
 * headers), the confirming publisher and the consumer channels. Not API: may change at any
 * time.
 */
@NullMarked
package io.angora.amqp.internal;

import org.jspecify.annotations.NullMarked;
