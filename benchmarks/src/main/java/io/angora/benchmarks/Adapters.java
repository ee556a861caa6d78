package io.angora.benchmarks;

import io.angora.api.RunStore;
import io.angora.api.Transport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;

/**
 * Finds the optional adapters by name, so the harness builds and runs before they exist: the
 * SQLite run store ({@code io.angora.jdbc.JdbcRunStore.sqlite(Path)}) and the AMQP transport
 * ({@code io.angora.amqp.AmqpTransport}). A missing one is reported as
 * {@link Unavailable} and its mode is skipped, never measured with a stand-in. Stateless.
 */
final class Adapters {
  private Adapters() {}

  /**
   * Opens a SQLite run store.
   *
   * @param file the database file
   * @return the store
   * @throws Unavailable when the JDBC store is not on the classpath
   */
  static RunStore sqliteStore(Path file) {
    return (RunStore) invoke("io.angora.jdbc.JdbcRunStore", "sqlite", file);
  }

  /**
   * Connects the AMQP transport, with its queues under a prefix of their own when the transport
   * allows one ({@code AmqpTransport.builder().uri(..).queuePrefix(..).build()}), so that the
   * benchmark neither takes nor leaves items in another installation's queues on the broker.
   *
   * @param uri the broker, e.g. {@code amqp://guest:guest@127.0.0.1:5672}
   * @param queuePrefix e.g. {@code angora-bench}
   * @return the transport
   * @throws Unavailable when the AMQP transport is not on the classpath
   */
  static Transport amqpTransport(String uri, String queuePrefix) {
    String className = "io.angora.amqp.AmqpTransport";
    Class<?> type = load(className);
    try {
      Object builder = type.getMethod("builder").invoke(null);
      builder = builder.getClass().getMethod("uri", String.class).invoke(builder, uri);
      builder = builder.getClass().getMethod("queuePrefix", String.class)
          .invoke(builder, queuePrefix);
      // Signed like a real installation when ANGORA_SECRET_FILE names the shared key (every
      // process of the benchmark inherits it); unsigned otherwise.
      String keyFile = System.getenv("ANGORA_SECRET_FILE");
      builder = keyFile == null || keyFile.isBlank()
          ? builder.getClass().getMethod("insecure").invoke(builder)
          : builder.getClass().getMethod("secretFile", java.nio.file.Path.class)
              .invoke(builder, java.nio.file.Path.of(keyFile));
      return (Transport) builder.getClass().getMethod("build").invoke(builder);
    } catch (NoSuchMethodException e) {
      return (Transport) invoke(className, "connect", uri);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(className + ".builder() is not accessible", e);
    } catch (InvocationTargetException e) {
      throw rethrow(className + ".builder()...build() for " + uri, e);
    }
  }

  private static Class<?> load(String className) {
    try {
      return Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new Unavailable(className + " is not on the classpath (not built yet)");
    }
  }

  private static RuntimeException rethrow(String call, InvocationTargetException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new IllegalStateException(call + " failed", cause);
  }

  /** Calls a static factory taking a path, a URI or a string, whichever the class has. */
  private static Object invoke(String className, String factory, Object argument) {
    Class<?> type = load(className);
    for (Method m : type.getMethods()) {
      if (!m.getName().equals(factory) || m.getParameterCount() != 1) {
        continue;
      }
      Class<?> p = m.getParameterTypes()[0];
      Object arg = p.isInstance(argument) ? argument
          : p == URI.class ? URI.create(argument.toString())
          : p == String.class ? argument.toString()
          : null;
      if (arg == null) {
        continue;
      }
      try {
        return m.invoke(null, arg);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(className + "." + factory + " is not accessible", e);
      } catch (InvocationTargetException e) {
        throw rethrow(className + "." + factory + "(" + argument + ")", e);
      }
    }
    throw new Unavailable(className + " has no static " + factory + "("
        + argument.getClass().getSimpleName() + ")");
  }

  /** A mode cannot run here: its adapter or service is missing. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String reason) {
      super(reason);
    }
  }
}
