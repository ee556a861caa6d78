package io.angora.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
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
 * @param corsOrigin the one origin allowed to call the API from another site's page, or null
 *     for none (the default: no CORS headers at all)
 * @param drain how long {@link AngoraHttpServer#close()} lets requests in progress finish
 *     (default 1 s)
 */
public record HttpOptions(InetAddress bindAddress, int port, @Nullable String token,
    int maxBodyBytes, int threads, @Nullable String corsOrigin,
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
    if (drain.isNegative()) {
      throw new IllegalArgumentException("drain must not be negative: " + drain);
    }
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
    private @Nullable String corsOrigin;
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
     * Allows one other origin to call the API from a browser.
     *
     * @param origin e.g. {@code https://dashboard.example.org}, or null for none
     * @return this builder
     */
    public Builder corsOrigin(@Nullable String origin) {
      this.corsOrigin = origin;
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
      return new HttpOptions(bindAddress, port, token, maxBodyBytes, threads,
          corsOrigin, drain);
    }
  }
}
