package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.angora.api.RunQuery;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import io.angora.engine.Angora;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a hostile page can make a browser send, over a real socket: a DNS-rebinding page's
 * {@code Host} (421) and cross-site state changes (403) are refused and change nothing; the UI's
 * own requests, curl without {@code Origin}, allowed origins and allowed host names are served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserOriginIT {
  private static final String FORM = "application/x-www-form-urlencoded";

  private Angora angora;
  private AngoraHttpServer server;
  private int port;
  private String finishedRun;

  @BeforeAll
  void start() throws Exception {
    angora = Angora.builder().tasks(TaskSource.of(List.of(
            TaskDefinition.builder("hello").triggers("time.0105").command("echo hello")
                .replay(0).build())))
        .shutdownGrace(Duration.ofSeconds(1)).build();
    angora.start();
    server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0)
        .allowOrigin("https://ops.example").drain(Duration.ZERO).build());
    port = server.port();
    assertThat(post("/send", headers("Host", "127.0.0.1:" + port), "msg=time.0105").status())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(15)).until(() -> runs() == 1 && angora.awaitIdle(
        Duration.ofSeconds(5)));
    finishedRun = angora.runs().query(RunQuery.newest(1)).runs().get(0).id();
  }

  @AfterAll
  void stop() {
    server.close();
    angora.close();
  }

  private int runs() {
    return angora.runs().query(RunQuery.newest(RunQuery.MAX_LIMIT)).runs().size();
  }

  private int messages() {
    return angora.recentMessages(1000).size();
  }

  private static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private RawHttp.Response post(String path, Map<String, String> headers, String body) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Content-Type", FORM);
    return RawHttp.once(port, "POST", path, all, body);
  }

  private RawHttp.Response get(String path, Map<String, String> headers) {
    return RawHttp.once(port, "GET", path, headers, "");
  }

  /** Every state-changing endpoint the issue found open to a cross-site form. */
  private List<String> stateChanging() {
    return List.of("/send", "/api/tasks/hello/run", "/api/tasks/reload",
        "/api/runs/" + finishedRun + "/replay");
  }

  private void assertNothingChanged(int runsBefore, int messagesBefore) throws Exception {
    assertThat(angora.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(runs()).isEqualTo(runsBefore);
    assertThat(messages()).isEqualTo(messagesBefore);
  }

  @Test
  void aRebindingHostIsRefusedOnEveryPathAndNothingRuns() throws Exception {
    int runs = runs();
    int messages = messages();
    Map<String, String> rebound = headers("Host", "rebind.attacker.example:" + port);

    for (String path : stateChanging()) {
      RawHttp.Response refused = post(path, rebound, "msg=time.0105");
      assertThat(refused.status()).as(path).isEqualTo(421);
      assertThat(refused.headers().get("content-type")).startsWith("application/json");
      assertThat(refused.body()).contains("\"error\"", "rebind.attacker.example",
          "DNS rebinding");
    }
    for (String path : List.of("/api/tasks", "/api/runs/" + finishedRun, "/", "/health")) {
      RawHttp.Response refused = get(path, rebound);
      assertThat(refused.status()).as(path).isEqualTo(421);
      assertThat(refused.body()).doesNotContain("echo hello");
    }
    assertThat(get("/api/tasks", headers("Host", "127.0.0.1:" + (port == 1 ? 2 : 1))).status())
        .as("another port").isEqualTo(421);
    assertThat(get("/api/tasks", headers("Host", "localhost.attacker.example:" + port))
        .status()).isEqualTo(421);
    assertNothingChanged(runs, messages);
  }

  @Test
  void aWorkflowIdThatCouldBecomeAPathIsRefusedAndNothingRuns() throws Exception {
    int runs = runs();
    int messages = messages();
    for (String workflow : List.of("..%2F..%2Fescaped", "a%2Fb", "..")) {
      RawHttp.Response refused = post("/send", headers("Host", "127.0.0.1:" + port),
          "msg=time.0105&workflow=" + workflow);
      assertThat(refused.status()).as(workflow).isEqualTo(400);
      assertThat(refused.body()).contains("invalid workflow id");
    }
    assertNothingChanged(runs, messages);
  }

  @Test
  void theLoopbackNamesWithTheServersPortAreServed() {
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
        "LOCALHOST:" + port)) {
      RawHttp.Response answer = get("/api/tasks", headers("Host", host));
      assertThat(answer.status()).as(host).isEqualTo(200);
      assertThat(answer.body()).contains("echo hello");
    }
  }

  @Test
  void aCrossSiteFormPostIsRefusedWith403AndChangesNothing() throws Exception {
    int runs = runs();
    int messages = messages();
    List<Map<String, String>> attacks = List.of(
        headers("Host", "127.0.0.1:" + port, "Origin", "https://evil.example",
            "Sec-Fetch-Site", "cross-site"),
        headers("Host", "127.0.0.1:" + port, "Origin", "https://evil.example"),
        headers("Host", "127.0.0.1:" + port, "Sec-Fetch-Site", "cross-site"),
        headers("Host", "127.0.0.1:" + port, "Sec-Fetch-Site", "same-site"),
        headers("Host", "localhost:" + port, "Origin", "http://localhost:" + (port + 1)),
        headers("Host", "127.0.0.1:" + port, "Origin", "null"));

    for (Map<String, String> attack : attacks) {
      for (String path : stateChanging()) {
        RawHttp.Response refused = post(path, attack, "msg=time.0105&payload=x");
        assertThat(refused.status()).as(path + " " + attack).isEqualTo(403);
        assertThat(refused.body()).contains("cross-origin request refused", "nothing was changed");
      }
    }
    assertNothingChanged(runs, messages);
  }

  @Test
  void theUisOwnRequestsAndCurlWithoutOriginAreServed() throws Exception {
    int runs = runs();
    RawHttp.Response curl = post("/send", headers("Host", "127.0.0.1:" + port),
        "msg=time.0105");
    RawHttp.Response ui = post("/send", headers("Host", "127.0.0.1:" + port,
        "Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "same-origin"), "msg=time.0105");
    RawHttp.Response uiByName = post("/api/tasks/hello/run", headers("Host", "localhost:" + port,
        "Origin", "http://localhost:" + port, "Sec-Fetch-Site", "same-origin"), "");
    RawHttp.Response noHost = post("/send", headers(), "msg=time.0105");

    assertThat(List.of(curl.status(), ui.status(), uiByName.status(), noHost.status()))
        .containsExactly(202, 202, 202, 202);
    await().atMost(Duration.ofSeconds(15)).until(() -> runs() == runs + 4);
  }

  @Test
  void anAllowedOriginMayChangeStateAndGetsCorsHeaders() throws Exception {
    int runs = runs();
    RawHttp.Response allowed = post("/send", headers("Host", "127.0.0.1:" + port,
        "Origin", "https://ops.example", "Sec-Fetch-Site", "cross-site"), "msg=time.0105");
    RawHttp.Response preflight = RawHttp.once(port, "OPTIONS", "/send", headers(
        "Host", "127.0.0.1:" + port, "Origin", "https://ops.example",
        "Access-Control-Request-Method", "POST"), "");

    assertThat(allowed.status()).isEqualTo(202);
    assertThat(allowed.headers()).containsEntry("access-control-allow-origin",
        "https://ops.example");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.headers()).containsEntry("access-control-allow-origin",
        "https://ops.example");
    await().atMost(Duration.ofSeconds(15)).until(() -> runs() == runs + 1);
  }

  @Test
  void aTokenProtectedBindAcceptsItsOwnHostNamesBehindAProxy() throws Exception {
    try (AngoraHttpServer open = AngoraHttpServer.start(angora, HttpOptions.builder()
        .bindAddress("0.0.0.0").port(0).token("s3cret").allowHost("Angora.Example.org")
        .drain(Duration.ZERO).build())) {
      int runs = runs();
      int other = open.port();
      Map<String, String> proxied = headers("Host", "angora.example.org",
          "Authorization", "Bearer s3cret", "Content-Type", FORM,
          "Origin", "https://angora.example.org", "Sec-Fetch-Site", "same-origin");
      Map<String, String> rebound = headers("Host", "rebind.attacker.example:" + other,
          "Authorization", "Bearer s3cret", "Content-Type", FORM);
      Map<String, String> crossSite = headers("Host", "angora.example.org",
          "Authorization", "Bearer s3cret", "Content-Type", FORM,
          "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");

      assertThat(RawHttp.once(other, "POST", "/send", proxied, "msg=time.0105").status())
          .isEqualTo(202);
      assertThat(RawHttp.once(other, "GET", "/api/tasks", headers("Host",
          "angora.example.org:8443", "Authorization", "Bearer s3cret"), "").status())
          .isEqualTo(200);
      assertThat(RawHttp.once(other, "POST", "/send", rebound, "msg=time.0105").status())
          .isEqualTo(421);
      assertThat(RawHttp.once(other, "POST", "/send", crossSite, "msg=time.0105").status())
          .isEqualTo(403);
      await().atMost(Duration.ofSeconds(15)).until(() -> runs() == runs + 1);
      assertThat(angora.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(runs()).isEqualTo(runs + 1);
    }
  }
}
