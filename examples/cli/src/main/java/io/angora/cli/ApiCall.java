package io.angora.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A call to a running Angora's web API, as {@code send} and {@code explain} make it: the token
 * of {@link Secrets#token} as a bearer token, 10 s to connect, 30 s for the answer.
 */
final class ApiCall {
  private ApiCall() {}

  /**
   * A request to a path of the API.
   *
   * @param url the server's address, without a trailing slash
   * @param pathAndQuery e.g. {@code /send} or {@code /api/explain?msg=x}
   * @throws Args.UsageException for an address that is not a URI
   */
  static HttpRequest.Builder request(String url, String pathAndQuery, Args args,
      PrintStream err) {
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(url + pathAndQuery));
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException("--url " + url + ": " + e.getMessage());
    }
    request.timeout(Duration.ofSeconds(30));
    String token = Secrets.token(args, err);
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  /** Sends a request and reads the answer as text. */
  static HttpResponse<String> send(HttpRequest request) throws IOException,
      InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A value for a form or a query string. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
