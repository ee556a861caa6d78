package io.angora.http;

import io.angora.http.internal.BrowserOrigin;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link AngoraHttpServer} listens and what it accepts. Immutable; build with
 * {@link #builder()}.
 *
 * @param bindAddress the address to listen on (default {@code 127.0.0.1}); any other than a
 *     loopback address needs a {@link #token()}
 * @param port the TCP port (default 8080); 0 picks a free one, see {@link AngoraHttpServer#port()}
 * @param token the bearer token every API request must carry, or null for none
 * @param maxBodyBytes the largest request body accepted (default 64 KiB); larger ones get 413
 * @param threads how many requests are handled at once (default 8)
 * @param queue how many more requests may wait (up to 10 s) for one of those; any beyond get
 *     503 at once (default 256; 0 for none)
 * @param allowedOrigins origins (such as {@code https://ops.example.org}) whose pages may call
 *     the API from a browser besides the server's own: their state-changing requests are
 *     accepted and they get CORS headers; none by default
 * @param allowedHosts host names (such as {@code angora.example.org}) accepted in the
 *     {@code Host} header besides the bound address, {@code localhost}, {@code 127.0.0.1} and
 *     {@code [::1]}, on any port (a reverse proxy's name); none by default. Any other
 *     {@code Host} is refused with 421, which stops DNS-rebinding pages
 * @param drain how long {@link AngoraHttpServer#close()} lets requests in progress finish
 *     (default 1 s)
 */
public record HttpOptions(InetAddress bindAddress, int port, @Nullable String token,
    int maxBodyBytes, int threads, int queue, List<String> allowedOrigins, List<String> allowedHosts,
    Duration drain) {

  /** The default port, the one the original served on behind its proxy. */
  public static final int DEFAULT_PORT = 8080;

  /** Checks the values. */
  public HttpOptions {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(drain, "drain");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("token must not be blank; leave it unset for none");
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be 1 or more: " + maxBodyBytes);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be 1 or more: " + threads);
    }
    if (queue < 0) {
      throw new IllegalArgumentException("queue must be 0 or more: " + queue);
    }
    if (drain.isNegative()) {
      throw new IllegalArgumentException("drain must not be negative: " + drain);
    }
    allowedOrigins = allowedOrigins.stream().map(BrowserOrigin::normalise).distinct().toList();
    allowedHosts = allowedHosts.stream().map(HttpOptions::hostName).distinct().toList();
  }

  private static String hostName(String host) {
    String name = host.strip().toLowerCase(Locale.ROOT);
    if (name.isEmpty() || !name.matches("[a-z0-9._-]+|\\[[0-9a-f:.]+]")) {
      throw new IllegalArgumentException("allowed host '" + host + "' is not a host name (such"
          + " as angora.example.org, without scheme, port or path)");
    }
    return name;
  }

  /** The defaults: 127.0.0.1:8080, no token. */
  public static HttpOptions defaults() {
    return builder().build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link HttpOptions}; not thread-safe. */
  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = DEFAULT_PORT;
    private @Nullable String token;
    private int maxBodyBytes = 64 * 1024;
    private int threads = 8;
    private int queue = 256;
    private final List<String> allowedOrigins = new ArrayList<>();
    private final List<String> allowedHosts = new ArrayList<>();
    private Duration drain = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Sets the address to listen on.
     *
     * @param address the address
     * @return this builder
     */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = address;
      return this;
    }

    /**
     * Sets the address to listen on by name or literal, e.g. {@code 0.0.0.0}.
     *
     * @param host a host name or IP literal
     * @return this builder
     * @throws IllegalArgumentException when the name does not resolve
     */
    public Builder bindAddress(String host) {
      try {
        this.bindAddress = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cannot bind to unknown host '" + host + "'", e);
      }
      return this;
    }

    /**
     * Sets the port.
     *
     * @param value 0 for any free port
     * @return this builder
     */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /**
     * Sets the bearer token; a blank one (an empty {@code ANGORA_TOKEN}) means none.
     *
     * @param value the token, or null or blank for none
     * @return this builder
     */
    public Builder token(@Nullable String value) {
      this.token = value == null || value.isBlank() ? null : value.strip();
      return this;
    }

    /**
     * Sets the largest request body.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Sets how many requests are handled at once.
     *
     * @param count the thread count
     * @return this builder
     */
    public Builder threads(int count) {
      this.threads = count;
      return this;
    }

    /**
     * Sets how many requests may wait for one of the {@link #threads} places; beyond, 503.
     *
     * @param count 0 or more
     * @return this builder
     */
    public Builder queue(int count) {
      this.queue = count;
      return this;
    }

    /**
     * Lets pages of another origin call the API from a browser, e.g. a UI served elsewhere;
     * may be called again for more.
     *
     * @param origin {@code scheme://host[:port]}, e.g. {@code https://ops.example.org}
     * @return this builder
     * @throws IllegalArgumentException when it is not an origin
     */
    public Builder allowOrigin(String origin) {
      this.allowedOrigins.add(BrowserOrigin.normalise(origin));
      return this;
    }

    /**
     * Accepts another name in the {@code Host} header, on any port: the name a reverse proxy
     * or the users' browsers call this server by; may be called again for more.
     *
     * @param host a host name such as {@code angora.example.org}
     * @return this builder
     */
    public Builder allowHost(String host) {
      this.allowedHosts.add(hostName(host));
      return this;
    }

    /**
     * Sets how long closing waits for requests in progress.
     *
     * @param value the drain time
     * @return this builder
     */
    public Builder drain(Duration value) {
      this.drain = value;
      return this;
    }

    /** Builds the options. */
    public HttpOptions build() {
      return new HttpOptions(bindAddress, port, token, maxBodyBytes, threads, queue,
          allowedOrigins, allowedHosts, drain);
    }
  }
}
