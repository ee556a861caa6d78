package io.angora.http.internal;

import io.angora.http.HttpReply;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Refuses what a hostile web page can make its visitor's browser send to a server on their
 * machine, with or without a token:
 *
 * <ul>
 *   <li>a {@code Host} header that does not name this server: a DNS-rebinding page, whose own
 *       name resolves to 127.0.0.1, sends its own name (421). Served: the bound address,
 *       {@code localhost}, {@code 127.0.0.1} and {@code [::1]} (every local address for a
 *       wildcard bind), with the server's port, and the allowed host names on any port. A
 *       request without {@code Host} (an HTTP/1.0 tool; browsers always send one) is served.
 *   <li>a state-changing request (any method but {@code GET}, {@code HEAD}, {@code OPTIONS})
 *       from another origin: an {@code Origin} that is neither this server's own (the same host
 *       and port as {@code Host}) nor an allowed one, an {@code Origin: null}, or no
 *       {@code Origin} but {@code Sec-Fetch-Site: cross-site} or {@code same-site} (403). A form
 *       a page posts cross-site is a "simple" request that browsers send without asking;
 *       {@code curl} and cron send no {@code Origin} and are served.
 * </ul>
 *
 * <p>Immutable, thread-safe.
 */
public final class BrowserOrigin {
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern PORT = Pattern.compile(":\\d{1,5}");

  private final int port;
  private final Set<InetAddress> addresses;
  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;

  /**
   * Creates the checks of one server.
   *
   * @param bound the address the server listens on
   * @param port the port it listens on
   * @param allowedHosts more host names served on any port, lower case
   * @param allowedOrigins more origins whose pages may change state, as {@link #normalise} gives
   */
  public BrowserOrigin(InetAddress bound, int port, List<String> allowedHosts,
      List<String> allowedOrigins) {
    this.port = port;
    Set<InetAddress> own = new HashSet<>();
    own.add(literal("127.0.0.1"));
    own.add(literal("[::1]"));
    if (bound.isAnyLocalAddress()) {
      own.addAll(localAddresses());
    } else {
      own.add(bound);
    }
    own.remove(null);
    this.addresses = Set.copyOf(own);
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /**
   * Checks a request.
   *
   * @param method the method, upper case
   * @param host the {@code Host} header, or null
   * @param origin the {@code Origin} header, or null
   * @param fetchSite the {@code Sec-Fetch-Site} header, or null
   * @return the refusal to answer, or empty when the request may be served
   */
  public Optional<HttpReply> refusal(String method, @Nullable String host,
      @Nullable String origin, @Nullable String fetchSite) {
    Authority authority = host == null ? null : Authority.parse(host);
    if (host != null && (authority == null || !serves(authority))) {
      return Optional.of(HttpReply.json(421, Map.of("error", "Host '" + shown(host)
          + "' does not name this server; it answers to its address, localhost, 127.0.0.1"
          + " and [::1] with port " + port + " (a page reached by another name may be"
          + " DNS rebinding; allow a name of your own with --allow-host)")));
    }
    if (SAFE_METHODS.contains(method)) {
      return Optional.empty();
    }
    if (origin != null) {
      String normal = tryNormalise(origin);
      if (normal != null && (allowedOrigins.contains(normal) || sameOrigin(normal, authority))) {
        return Optional.empty();
      }
      return Optional.of(forbidden("Origin '" + shown(origin) + "' is not this server's"
          + " origin nor an allowed one (--allow-origin)"));
    }
    if (fetchSite != null && (fetchSite.equalsIgnoreCase("cross-site")
        || fetchSite.equalsIgnoreCase("same-site"))) {
      return Optional.of(forbidden("the browser says it comes from another site"
          + " (Sec-Fetch-Site: " + shown(fetchSite) + ")"));
    }
    return Optional.empty();
  }

  /**
   * Whether an origin gets CORS headers: it is one of the allowed ones.
   *
   * @param origin the {@code Origin} header, or null
   * @return whether it is allowed
   */
  public boolean allowsCors(@Nullable String origin) {
    if (origin == null || allowedOrigins.isEmpty()) {
      return false;
    }
    String normal = tryNormalise(origin);
    return normal != null && allowedOrigins.contains(normal);
  }

  /** Whether any other origin is allowed at all. */
  public boolean anyAllowedOrigin() {
    return !allowedOrigins.isEmpty();
  }

  /**
   * Writes an origin the way browsers send it: {@code scheme://host[:port]}, lower case,
   * without the scheme's default port or a trailing slash.
   *
   * @param origin e.g. {@code https://Ops.Example.org:443/}
   * @return e.g. {@code https://ops.example.org}
   * @throws IllegalArgumentException when it is not an origin (a path, a query, user info, no
   *     host)
   */
  public static String normalise(String origin) {
    URI uri;
    try {
      uri = new URI(origin.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + origin + "' is not an origin: " + e.getReason(),
          e);
    }
    String path = uri.getRawPath();
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null || uri.getRawFragment() != null
        || (path != null && !path.isEmpty() && !path.equals("/"))) {
      throw new IllegalArgumentException("'" + origin + "' is not an origin: write"
          + " scheme://host[:port], such as https://ops.example.org");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int explicit = uri.getPort();
    boolean defaultPort = explicit == -1 || explicit == defaultPort(scheme);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + explicit);
  }

  private static @Nullable String tryNormalise(String origin) {
    try {
      return normalise(origin);
    } catch (IllegalArgumentException e) {
      return null; // includes "null", sent by sandboxed frames and file: pages
    }
  }

  private boolean serves(Authority authority) {
    if (allowedHosts.contains(authority.host())) {
      return true;
    }
    if (authority.port() != port && !(authority.port() == -1 && port == 80)) {
      return false;
    }
    if (authority.host().equals("localhost")) {
      return true;
    }
    InetAddress literal = literal(authority.host());
    return literal != null && addresses.contains(literal);
  }

  private static boolean sameOrigin(String normal, @Nullable Authority host) {
    if (host == null) {
      return false;
    }
    URI uri = URI.create(normal);
    int originPort = uri.getPort() == -1 ? defaultPort(uri.getScheme()) : uri.getPort();
    int hostPort = host.port() == -1 ? defaultPort(uri.getScheme()) : host.port();
    return uri.getHost().equals(host.host()) && originPort == hostPort;
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> -1;
    };
  }

  /** An IP literal as an address, without any name look-up; null for anything else. */
  private static @Nullable InetAddress literal(String host) {
    boolean v6 = host.startsWith("[") && host.endsWith("]");
    if (!v6 && !IPV4.matcher(host).matches()) {
      return null; // a name: never resolved, a rebinding attacker controls its answers
    }
    try {
      InetAddress address = InetAddress.getByName(host); // a literal: parsed, not looked up
      return address instanceof Inet6Address v6Address && v6Address.getScopeId() != 0
          ? InetAddress.getByAddress(v6Address.getAddress()) : address;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static Set<InetAddress> localAddresses() {
    Set<InetAddress> found = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          found.add(address instanceof Inet6Address
              ? InetAddress.getByAddress(address.getAddress()) : address);
        }
      }
    } catch (SocketException | UnknownHostException e) {
      // only the loopback names are served then
    }
    return found;
  }

  private static HttpReply forbidden(String why) {
    return HttpReply.json(403, Map.of("error", "cross-origin request refused: " + why
        + "; nothing was changed"));
  }

  private static String shown(String header) {
    String cut = header.length() > 100 ? header.substring(0, 100) + "..." : header;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /** A {@code Host} header's host (lower case, IPv6 in brackets) and port (-1 when absent). */
  private record Authority(String host, int port) {
    static @Nullable Authority parse(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
      int split;
      if (text.startsWith("[")) {
        split = text.indexOf(']') + 1;
        if (split == 0) {
          return null;
        }
      } else {
        split = text.indexOf(':');
        split = split < 0 ? text.length() : split;
      }
      String host = text.substring(0, split);
      String rest = text.substring(split);
      if (host.isEmpty() || (!rest.isEmpty() && !PORT.matcher(rest).matches())) {
        return null;
      }
      int port = rest.isEmpty() ? -1 : Integer.parseInt(rest.substring(1));
      return port > 65_535 ? null : new Authority(host, port);
    }
  }
}
