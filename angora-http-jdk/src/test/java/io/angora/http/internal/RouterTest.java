package io.angora.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static HttpRoute route(String method, String pattern, String name) {
    return new HttpRoute(method, pattern, call -> HttpReply.ok(name));
  }

  private final Router router = new Router(List.of(
      route("GET", "/api/tasks/{name}", "one task"),
      route("POST", "/api/tasks/reload", "reload"),
      route("POST", "/api/tasks/{name}/run", "run"),
      route("GET", "/api/runs/{id}/log", "log"),
      route("GET", "/", "ui")));

  private String answer(String method, String path) {
    Router.Match match = router.match(method, Router.split(path));
    assertThat(match).isInstanceOf(Router.Found.class);
    return (String) ((Router.Found) match).route().handler().handle(null).body();
  }

  @Test
  void bindsPlaceholdersAndPrefersLiterals() {
    Router.Found found = (Router.Found) router.match("GET", List.of("api", "runs", "r-1", "log"));
    assertThat(found.params()).isEqualTo(Map.of("id", "r-1"));
    assertThat(answer("POST", "/api/tasks/reload")).isEqualTo("reload");
    assertThat(answer("GET", "/api/tasks/reload")).isEqualTo("one task");
    assertThat(answer("GET", "/")).isEqualTo("ui");
    assertThat(answer("HEAD", "/")).isEqualTo("ui");
  }

  @Test
  void wrongMethodListsTheAllowedOnes() {
    assertThat(router.match("DELETE", Router.split("/api/tasks/reload")))
        .isEqualTo(new Router.WrongMethod("GET, POST"));
    assertThat(router.match("GET", Router.split("/api/tasks/x/run")))
        .isEqualTo(new Router.WrongMethod("POST"));
  }

  @Test
  void unknownPathsAndEmptySegmentsAreNotFound() {
    assertThat(router.match("GET", Router.split("/api/tasks"))).isInstanceOf(Router.NotFound.class);
    assertThat(router.match("GET", Router.split("/api/tasks/"))).isInstanceOf(Router.NotFound.class);
    assertThat(router.match("GET", Router.split("/api/runs/a/b/log")))
        .isInstanceOf(Router.NotFound.class);
  }

  @Test
  void aLaterRouteReplacesAnEarlierOne() {
    Router replaced = new Router(List.of(route("GET", "/api/schedules", "none"),
        route("GET", "/api/schedules", "scheduler")));
    Router.Found found = (Router.Found) replaced.match("GET", List.of("api", "schedules"));
    assertThat(found.route().handler().handle(null).body()).isEqualTo("scheduler");
  }

  @Test
  void decodesPathSegmentsKeepingPlus() {
    assertThat(Router.decodeSegment("..%2F..%2Fetc")).isEqualTo("../../etc");
    assertThat(Router.decodeSegment("a+b%20c")).isEqualTo("a+b c");
    assertThatThrownBy(() -> Router.decodeSegment("%zz")).isInstanceOf(HttpException.class);
  }
}
