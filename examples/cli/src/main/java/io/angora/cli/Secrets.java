package io.angora.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the command line takes its secrets from, so that none has to sit on a command line
 * (every local user reads those in {@code /proc/PID/cmdline}): the bearer token from
 * {@code --token-file FILE} or {@code ANGORA_TOKEN_FILE} (or {@code ANGORA_TOKEN}), the broker
 * password from {@code --amqp-password-file FILE} or {@code ANGORA_AMQP_PASSWORD_FILE}. A secret
 * given on the command line still works, with a warning.
 */
final class Secrets {
  private Secrets() {}

  /**
   * The bearer token: {@code --token}, {@code --token-file}, {@code ANGORA_TOKEN_FILE},
   * {@code ANGORA_TOKEN}, in that order.
   *
   * @param args the options
   * @param err where the warning about a token on the command line goes
   * @return the token, or null for none
   */
  static @Nullable String token(Args args, PrintStream err) {
    Optional<String> given = args.get("token");
    if (given.isPresent()) {
      err.println("angora: warning: --token is visible to every local user (ps, /proc);"
          + " use --token-file FILE or ANGORA_TOKEN_FILE instead");
      return given.get();
    }
    Optional<String> file = args.get("token-file")
        .or(() -> env("ANGORA_TOKEN_FILE"));
    if (file.isPresent()) {
      return read(file.get(), "token");
    }
    return env("ANGORA_TOKEN").orElse(null);
  }

  /**
   * The broker URI with the password of {@code --amqp-password-file} or
   * {@code ANGORA_AMQP_PASSWORD_FILE} put in, when one is given.
   *
   * @param uri the URI as given, e.g. {@code amqp://angora@broker:5672}
   * @param args the options
   * @param fromCommandLine whether the URI came from {@code --amqp} (a password in it is
   *     warned about)
   * @param err where the warning goes
   * @return the URI to connect with
   */
  static String amqpUri(String uri, Args args, boolean fromCommandLine, PrintStream err) {
    Optional<String> file = args.get("amqp-password-file")
        .or(() -> env("ANGORA_AMQP_PASSWORD_FILE"));
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      return uri; // the transport names what is wrong with it
    }
    String userInfo = parsed.getRawUserInfo();
    if (file.isEmpty()) {
      if (fromCommandLine && userInfo != null && userInfo.contains(":")) {
        err.println("angora: warning: the password in --amqp is visible to every local user"
            + " (ps, /proc); give the URI without it and --amqp-password-file FILE or"
            + " ANGORA_AMQP_PASSWORD_FILE");
      }
      return uri;
    }
    String user = userInfo == null ? "guest" : userInfo.split(":", 2)[0];
    String password = read(file.get(), "broker password");
    try {
      return new URI(parsed.getScheme(), user + ":" + password, parsed.getHost(),
          parsed.getPort(), parsed.getPath(), parsed.getQuery(), parsed.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      throw new Args.UsageException("--amqp " + uri + ": cannot add the password: "
          + e.getReason());
    }
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
  }

  private static String read(String file, String what) {
    try {
      String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new Args.UsageException("the " + what + " file " + file + " is empty");
      }
      return value;
    } catch (IOException e) {
      throw new Args.UsageException("cannot read the " + what + " file " + file + ": " + e);
    }
  }
}
