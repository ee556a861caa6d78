package io.angora.amqp.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes daemon threads named {@code <prefix><n>}, e.g. {@code angora-amqp-consumer-3}. */
public final class NamedThreads implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  /**
   * Creates the factory.
   *
   * @param prefix the name before the thread's number
   */
  public NamedThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread t = new Thread(task, prefix + count.incrementAndGet());
    t.setDaemon(true);
    return t;
  }
}
