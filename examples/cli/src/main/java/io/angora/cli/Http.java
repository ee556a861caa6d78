package io.angora.cli;

import io.angora.engine.Angora;
import io.angora.http.AngoraHttpServer;
import io.angora.http.HttpOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The web API and UI options shared by the commands that serve them. */
final class Http {
  private Http() {}

  /** The options of {@link #start}. */
  static final java.util.Set<String> VALUED = java.util.Set.of("port", "bind", "token",
      "token-file", "allow-origin", "allow-host");

  /**
   * Serves the API and UI for an engine: {@code --port}, {@code --bind}, {@code --token} or
   * {@code --token-file}, {@code --allow-origin} and {@code --allow-host} (each repeatable).
   */
  static AngoraHttpServer start(Angora angora, Args args) {
    String bind = args.get("bind", "127.0.0.1");
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new Args.UsageException("--bind " + bind + ": unknown address");
    }
    HttpOptions.Builder options = HttpOptions.builder()
        .bindAddress(address)
        .port(args.intValue("port", HttpOptions.DEFAULT_PORT))
        .token(Secrets.token(args, System.err));
    try {
      args.all("allow-origin").forEach(options::allowOrigin);
      args.all("allow-host").forEach(options::allowHost);
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    return AngoraHttpServer.start(angora, options.build());
  }
}
