package io.angora.cli;

import io.angora.engine.Angora;
import io.angora.http.AngoraHttpServer;
import io.angora.http.HttpOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The web API and UI options shared by the commands that serve them. */
final class Http {
  private Http() {}

  /** Serves the API and UI for an engine: {@code --port}, {@code --bind}, {@code --token}. */
  static AngoraHttpServer start(Angora angora, Args args) {
    String bind = args.get("bind", "127.0.0.1");
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new Args.UsageException("--bind " + bind + ": unknown address");
    }
    String token = args.get("token").orElse(System.getenv("ANGORA_TOKEN"));
    return AngoraHttpServer.start(angora, HttpOptions.builder()
        .bindAddress(address)
        .port(args.intValue("port", HttpOptions.DEFAULT_PORT))
        .token(token)
        .build());
  }
}
