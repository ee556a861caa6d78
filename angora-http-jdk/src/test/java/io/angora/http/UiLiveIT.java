package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.engine.InMemoryTransport;
import io.angora.engine.Role;
import io.angora.tck.ForwardingTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The live parts of the web UI in a real headless Chromium ({@link Browser}): the tasks table
 * fits the screen, events update the dashboard without polling, a held-back join shows as
 * skipped, and the workflow graph is laid out without overlaps on the original examples and
 * on 200 tasks. Each test starts its own engine and server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiLiveIT {
  private static final Path ORIGINAL = Path.of("..", "tasks", "original.yml");

  private Browser browser;
  private String missing;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path profile) {
    missing = Browser.missing();
    if (missing == null) {
      browser = Browser.start(profile);
    }
  }

  @BeforeEach
  void requireBrowser() {
    Browser.require(missing);
  }

  @AfterEach
  void stopEngines() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    running.clear();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  private String serve(Angora angora) {
    angora.start();
    running.add(angora);
    AngoraHttpServer server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0)
        .drain(Duration.ZERO).build());
    running.add(server);
    return server.url();
  }

  /** Waits for the page's event stream, then counts its requests to those paths so far. */
  private long awaitStreamThenCount(String... paths) {
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("html[data-stream=up]")));
    return requestsTo(paths);
  }

  /** How many requests the page made to paths containing any of those. */
  private long requestsTo(String... paths) {
    return (Long) browser.js("return performance.getEntriesByType('resource').map(e => e.name)"
        + ".filter(n => arguments[0].some(p => n.includes(p))).length;", List.of(paths));
  }

  private String serveDemo() {
    return serve(Angora.builder().task(DemoTasks.all().toArray(new TaskDefinition[0]))
        .concurrency(4).shutdownGrace(Duration.ofSeconds(1)).build());
  }

  @Test
  void theRunButtonIsVisibleWithoutScrollingAt1280And1700() throws Exception {
    String url = serveDemo();
    for (int[] size : new int[][] {{1280, 800}, {1700, 900}}) {
      browser.viewport(size[0], size[1]);
      browser.driver().get(url);
      By first = By.cssSelector("#tasks tr[data-task=fetch_orders] button.run-task");
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(first));
      @SuppressWarnings("unchecked")
      Map<String, Object> box = (Map<String, Object>) browser.js("const r = arguments[0]"
          + ".getBoundingClientRect(); return {right: r.right, bottom: r.bottom, "
          + "width: innerWidth, height: innerHeight};", browser.driver().findElement(first));
      assertThat(((Number) box.get("right")).doubleValue()).as("right edge at %s", size[0])
          .isLessThanOrEqualTo(((Number) box.get("width")).doubleValue());
      assertThat(((Number) box.get("bottom")).doubleValue()).as("bottom edge at %s", size[0])
          .isLessThanOrEqualTo(((Number) box.get("height")).doubleValue());
      // No horizontal scrollbar on the table, none on the page.
      assertThat((Boolean) browser.js("const s = document.getElementById('tasks-scroll');"
          + " return s.scrollWidth <= s.clientWidth;")).as("table fits at %s", size[0]).isTrue();
      assertThat((Boolean) browser.js("return document.documentElement.scrollWidth"
          + " <= innerWidth;")).isTrue();
      // Every task's Run button, not only the first, is inside the table's width.
      assertThat((Boolean) browser.js("const s = document.getElementById('tasks-scroll')"
          + ".getBoundingClientRect(); return [...document.querySelectorAll('button.run-task')]"
          + ".every(b => b.getBoundingClientRect().right <= s.right);")).isTrue();
      if (size[0] == 1280) {
        browser.screenshot("dashboard-1280.png", null);
      }
    }
  }

  @Test
  void theDashboardFollowsEventsWithoutPolling() {
    String url = serveDemo();
    Angora angora = (Angora) running.get(0);
    browser.viewport(1440, 1000);
    browser.driver().get(url);
    browser.wait.until(d -> d.findElements(By.cssSelector("#tasks tr[data-task]")).size()
        == DemoTasks.all().size());
    long before = awaitStreamThenCount("/api/runs", "/api/tasks");

    Run run = angora.run("backup_db");

    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#recent-runs tr[data-run-id='" + run.id() + "'][data-status=SUCCEEDED]")));
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#tasks tr[data-task=verify_backup] .badge.FAILED")));
    assertThat(requestsTo("/api/runs", "/api/tasks")).as("no request for runs or tasks")
        .isEqualTo(before);
    assertThat(browser.js("return window.angoraPolls || 0;")).isEqualTo(0L);
  }

  @Test
  void aRunningJobsOutputGrowsOnItsPage() throws Exception {
    String url = serve(Angora.builder().task(TaskDefinition.builder("two_lines")
        .triggers("lines.go").command("sh -c 'echo first; echo warning >&2; sleep 5; echo second'")
        .build()).build());
    Angora angora = (Angora) running.get(0);
    Run run = angora.run("two_lines");
    browser.viewport(1440, 1000);
    browser.driver().get(url + "#/runs/" + run.id());
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-output"),
        "first"));
    assertThat(browser.driver().findElement(By.cssSelector("#run-status .badge")).getText())
        .isEqualTo("running");
    assertThat(angora.runs().find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(browser.driver().findElement(By.id("run-output")).getText()).doesNotContain("second");
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(
        "#run-output .stderr"), "warning"));
    browser.screenshot("run-live-output.png", By.cssSelector("main"));
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-output"),
        "second"));
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#run-status .badge.SUCCEEDED")));
    assertThat(browser.driver().findElement(By.id("run-output")).getText())
        .contains("first").contains("warning").contains("second");
    assertThat(browser.driver().findElements(By.cssSelector("#run-output .stderr"))).isNotEmpty();
  }

  /**
   * A coordinator served over HTTP and a worker of its own (role WORKER, another engine on the
   * same transport, as on another host): the worker's jobs' output reaches the coordinator
   * only as shipped live output.
   */
  private Remote remoteWorkerSetup(TaskDefinition task) {
    InMemoryTransport transport = new InMemoryTransport();
    Angora coordinator = Angora.builder().role(Role.COORDINATOR).task(task).transport(transport)
        .heartbeat(Duration.ofMillis(500)).shutdownGrace(Duration.ofSeconds(1)).build();
    String url = serve(coordinator);
    Angora worker = Angora.builder().role(Role.WORKER).workerName("remote-ui")
        .transport(new ForwardingTransport(transport) {
          @Override
          public void close() {
            // the coordinator's to close
          }
        }).heartbeat(Duration.ofMillis(500)).shutdownGrace(Duration.ofSeconds(1)).build();
    worker.start();
    running.add(worker);
    return new Remote(coordinator, url);
  }

  private record Remote(Angora coordinator, String url) {}

  @Test
  void aRemoteWorkersJobOutputGrowsOnItsPage() {
    Remote remote = remoteWorkerSetup(TaskDefinition.builder("two_lines")
        .triggers("lines.go").command("sh -c 'echo first; echo warning >&2; sleep 5; echo second'")
        .build());
    Angora coordinator = remote.coordinator();
    Run run = coordinator.run("two_lines");
    browser.viewport(1440, 1000);
    browser.driver().get(remote.url() + "#/runs/" + run.id());
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-output"),
        "first"));
    Run now = coordinator.runs().find(run.id()).orElseThrow();
    assertThat(now.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(now.worker()).isEqualTo("remote-ui");
    assertThat(browser.driver().findElement(By.id("run-output")).getText()).doesNotContain("second");
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(
        "#run-output .stderr"), "warning"));
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-output"),
        "second"));
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#run-status .badge.SUCCEEDED")));
    assertThat(browser.driver().findElement(By.id("run-output")).getText())
        .contains("first").contains("warning").contains("second");
  }

  @Test
  void theWorkersPageFollowsEventsWithoutPolling() {
    Remote remote = remoteWorkerSetup(TaskDefinition.builder("nap").triggers("nap.go")
        .command("sleep 3").build());
    Angora coordinator = remote.coordinator();
    browser.viewport(1440, 1000);
    browser.driver().get(remote.url() + "#/workers");
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#workers tr[data-worker=remote-ui]")));
    long before = awaitStreamThenCount("/api/workers");

    Run run = coordinator.run("nap");

    // The row lists the run while the worker holds it, then no more.
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#workers tr[data-worker=remote-ui] a[href='#/runs/" + run.id() + "']")));
    browser.wait.until(d -> d.findElements(By.cssSelector(
        "#workers tr[data-worker=remote-ui] a[href='#/runs/" + run.id() + "']")).isEmpty());
    assertThat(requestsTo("/api/workers")).as("no request for workers").isEqualTo(before);
    assertThat(browser.js("return window.angoraPolls || 0;")).isEqualTo(0L);
  }

  @Test
  void aHeldBackJoinIsShownAsSkippedWithItsReason() {
    String url = serve(Angora.builder()
        .task(TaskDefinition.builder("left").triggers("join.left").command("true")
            .messages("join.left.done").build(),
            TaskDefinition.builder("right").triggers("join.right").command("true")
            .messages("join.right.done").build(),
            TaskDefinition.builder("join").triggers("join.left.done", "join.right.done")
            .command("echo joined").parentSuccess(true).build())
        .build());
    Angora angora = (Angora) running.get(0);
    String workflow = angora.send("join.left").workflowId();
    browser.viewport(1440, 1000);
    browser.driver().get(url + "#/workflows/" + workflow);
    By skipped = By.cssSelector("#workflow-tree a.tree-run .badge.SKIPPED");
    browser.wait.until(ExpectedConditions.visibilityOfElementLocated(skipped));
    assertThat(browser.driver().findElement(By.id("workflow-tree")).getText())
        .contains("skipped").contains("parent task 'right' has not run");
    assertThat(angora.runs().workflow(workflow)).filteredOn(r -> r.task().equals("join"))
        .singleElement().extracting(Run::status).isEqualTo(RunStatus.SKIPPED);
    browser.driver().get(url + "#/runs?status=SKIPPED");
    browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
        "#runs-list tr[data-task=join][data-status=SKIPPED]")));
  }

  @Test
  void theGraphOfTheOriginalExamplesHasNoOverlaps() throws Exception {
    String url = serve(Angora.builder().tasks(copyOfOriginal()).build());
    browser.viewport(1440, 1000);
    browser.driver().get(url + "#/graph");
    browser.wait.until(d -> !d.findElements(By.cssSelector("svg#graph g.node")).isEmpty());
    assertNoOverlaps();
    // Every entry label is whole and sits left of its own task.
    @SuppressWarnings("unchecked")
    List<String> entries = (List<String>) browser.js("return [...document.querySelectorAll("
        + "'svg#graph g.entry text')].map(t => t.textContent);");
    assertThat(entries).isNotEmpty().noneMatch(t -> t.contains("…"));
    assertThat((Boolean) browser.js("return [...document.querySelectorAll('svg#graph g.entry')]"
        + ".every(e => { const t = e.querySelector('text').getBBox(); const n = document"
        + ".querySelector('svg#graph g.node[data-task=\"' + e.dataset.task + '\"] rect')"
        + ".getBBox(); return t.x + t.width <= n.x; });")).isTrue();
    browser.screenshot("workflow-graph-original.png", By.cssSelector("main"));
  }

  @Test
  void theGraphOf200TasksHasNoOverlaps() {
    List<TaskDefinition> tasks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // Chains of ten with a fan-out every third task and a join every fifth.
      TaskDefinition.Builder b = TaskDefinition.builder("task_" + i)
          .triggers(i % 10 == 0 ? "start." + i : "done." + (i - 1)).command("true")
          .messages("done." + i);
      if (i % 5 == 4 && i >= 10) {
        b.triggers("done." + (i - 1), "done." + (i - 8));
      }
      tasks.add(b.build());
    }
    String url = serve(Angora.builder().task(tasks.toArray(new TaskDefinition[0])).build());
    browser.viewport(1440, 1000);
    browser.driver().get(url + "#/graph");
    browser.wait.until(d -> d.findElements(By.cssSelector("svg#graph g.node")).size() == 200);
    assertNoOverlaps();
  }

  /** No two task boxes overlap, and no edge label covers a task box. */
  private void assertNoOverlaps() {
    String boxes = "const box = (el) => el.getBBox(); const over = (a, b) => a.x < b.x + b.width"
        + " && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;"
        + " const nodes = [...document.querySelectorAll('svg#graph g.node rect')].map(box);"
        + " const labels = [...document.querySelectorAll('svg#graph g.label rect')].map(box);"
        + " let bad = 0; nodes.forEach((a, i) => nodes.forEach((b, j) => { if (i < j && over(a, b))"
        + " bad++; })); labels.forEach(l => nodes.forEach(n => { if (over(l, n)) bad++; }));"
        + " return bad;";
    assertThat(browser.js(boxes)).isEqualTo(0L);
  }

  private static Path copyOfOriginal() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("angora-original");
    java.nio.file.Files.copy(ORIGINAL, dir.resolve("original.yml"));
    dir.toFile().deleteOnExit();
    dir.resolve("original.yml").toFile().deleteOnExit();
    return dir;
  }

}
