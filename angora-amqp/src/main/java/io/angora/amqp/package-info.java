/**
 * The RabbitMQ transport: {@link io.angora.amqp.AmqpTransport} carries messages, jobs, job
 * events and cancellations over an AMQP 0-9-1 broker so that one coordinator and any number of
 * workers can run on different machines.
 */
@NullMarked
package io.angora.amqp;

import org.jspecify.annotations.NullMarked;
