package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.engine.Angora;
import io.angora.engine.schedule.Misfire;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web UI in a real headless Chromium ({@link Browser}): a whole session on demo tasks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiBrowserIT {
  private Angora angora;
  private AngoraHttpServer server;
  private Browser browser;
  private WebDriver driver;
  private WebDriverWait wait;
  private String missing;

  @BeforeAll
  void start(@TempDir Path profile) {
    missing = Browser.missing();
    if (missing != null) {
      return; // reported per test by requireBrowser()
    }
    angora = Angora.builder().task(DemoTasks.all().toArray(new io.angora.api.TaskDefinition[0]))
        .concurrency(4).shutdownGrace(Duration.ofSeconds(1)).build();
    angora.start();
    server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0)
        .drain(Duration.ZERO).build());
    browser = Browser.start(profile);
    driver = browser.driver();
    wait = browser.wait;
  }

  @BeforeEach
  void requireBrowser() {
    Browser.require(missing);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
    if (angora != null) {
      angora.close();
    }
  }

  @Test
  void theUiDrivesAWholeSession() throws Exception {
    driver.get(server.url());
    int tasks = DemoTasks.all().size();
    wait.until(d -> d.findElements(By.cssSelector("#tasks tbody tr[data-task]")).size() == tasks);
    // A marker that a page reload would wipe out: the runs must appear without one.
    js("window.angoraMarker = 'no reload';");

    // Send a message from the form; the whole workflow's runs show up live.
    WebElement msg = driver.findElement(By.cssSelector("#send-form input[name=msg]"));
    msg.sendKeys("shop.nightly");
    driver.findElement(By.cssSelector("#send-form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#recent-runs tr[data-task=archive_report][data-status=SUCCEEDED]")));
    assertThat(driver.findElements(By.cssSelector("#recent-runs tr[data-task=fetch_orders]")))
        .isNotEmpty();
    assertThat(js("return window.angoraMarker;")).isEqualTo("no reload");

    // Run tasks by their buttons: a backup whose check fails, a long import left running.
    click(By.cssSelector("button.run-task[data-task=backup_db]"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#recent-runs tr[data-task=verify_backup][data-status=FAILED]")));
    click(By.cssSelector("button.run-task[data-task=import_catalog]"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#recent-runs tr[data-task=import_catalog][data-status=RUNNING]")));
    wait.until(d -> d.findElements(By.cssSelector("#tasks .badge.SUCCEEDED")).size() >= 11);
    js("document.getElementById('toast').replaceChildren();");
    screenshot("dashboard.png", null);

    // The workflow graph: one node per task.
    driver.findElement(By.cssSelector("[data-nav=graph]")).click();
    wait.until(d -> d.findElements(By.cssSelector("svg#graph g.node")).size() == tasks);
    assertThat(driver.findElements(By.cssSelector("svg#graph path.edge")).size())
        .isGreaterThanOrEqualTo(10);
    assertThat(driver.findElements(By.cssSelector("svg#graph g.node.SUCCEEDED")).size())
        .isGreaterThanOrEqualTo(9);
    // An on_failure message is an edge of its own kind, drawn apart and labelled.
    WebElement failureEdge = driver.findElement(By.cssSelector(
        "svg#graph path.edge.failure[data-from=verify_backup][data-to=page_oncall]"));
    assertThat(failureEdge.getAttribute("marker-end")).isEqualTo("url(#arrow-failure)");
    assertThat(js("return getComputedStyle(arguments[0]).strokeDasharray;", failureEdge))
        .isNotEqualTo("none");
    assertThat(driver.findElements(By.cssSelector("svg#graph path.edge.failure"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector("svg#graph g.label.failure text")))
        .extracting(WebElement::getText).containsExactly("on failure: db.backup.failed");
    screenshot("workflow-graph.png", By.cssSelector("main"));

    // A task's page: its command, triggers and recent runs with durations.
    driver.get(server.url() + "#/tasks/fetch_orders");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-command"),
        "echo fetched 1204 orders"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#task-runs tr[data-task=fetch_orders][data-status=SUCCEEDED]")));
    assertThat(driver.findElement(By.id("task-page")).getText()).contains("shop.nightly")
        .contains("orders.fetched");
    // Its flow keys and on_failure messages; and what a manual run would do.
    driver.get(server.url() + "#/tasks/verify_backup");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-on-failure"),
        "db.backup.failed"));
    driver.get(server.url() + "#/tasks/page_oncall");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-concurrency"),
        "at most 1 at once"));
    assertThat(driver.findElement(By.id("task-priority")).getText()).isEqualTo("5");
    assertThat(driver.findElement(By.id("task-overflow")).getText()).startsWith("queue");
    driver.get(server.url() + "#/tasks/verify_backup");
    click(By.id("explain-run"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-explain"),
        "on failure sends db.backup.failed"));
    assertThat(driver.findElement(By.id("task-explain")).getText()).contains("page_oncall");

    // Messages and workers have pages of their own.
    driver.findElement(By.cssSelector("[data-nav=messages]")).click();
    wait.until(d -> d.findElements(By.cssSelector("#messages tr[data-message-id]")).size() >= 3);
    assertThat(driver.findElement(By.id("messages")).getText()).contains("shop.nightly");
    driver.findElement(By.cssSelector("[data-nav=workers]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#workers tr[data-worker]")));
    screenshot("workers.png", By.cssSelector("main"));

    // A message that triggers nothing is said out loud, with the nearest trigger.
    driver.findElement(By.cssSelector("[data-nav=dashboard]")).click();
    WebElement typo = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#send-form input[name=msg]")));
    typo.sendKeys("shop.nigthly");
    driver.findElement(By.cssSelector("#send-form button[type=submit]")).click();
    WebElement warning = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.id("send-warning")));
    assertThat(warning.getText()).contains("no task has a trigger matching")
        .contains("shop.nigthly").contains("shop.nightly");
    click(By.id("use-nearest"));
    assertThat(driver.findElement(By.cssSelector("#send-form input[name=msg]"))
        .getAttribute("value")).isEqualTo("shop.nightly");
    // Explain says what the message would do, without sending it.
    int messages = angora.recentMessages(1000).size();
    click(By.id("explain-button"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("explain-result"),
        "triggers 2 tasks"));
    assertThat(driver.findElement(By.id("explain-result")).getText())
        .contains("fetch_orders by trigger shop.nightly (exact)", "fetch_stock",
            "on success sends orders.fetched", "clean_orders");
    assertThat(angora.recentMessages(1000)).hasSize(messages);

    // A run's output, then its workflow as a tree.
    driver.findElement(By.cssSelector("[data-nav=dashboard]")).click();
    click(By.cssSelector("#recent-runs tr[data-task=fetch_orders] a"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-output"),
        "fetched 1204 orders"));
    click(By.id("workflow-link"));
    wait.until(d -> d.findElements(By.cssSelector("#workflow-tree a.tree-run")).size() >= 9);
    assertThat(driver.findElements(By.cssSelector("#workflow-tree ul ul a.tree-run")))
        .isNotEmpty();

    // Cancel the running import from its run page.
    driver.findElement(By.cssSelector("[data-nav=runs]")).click();
    click(By.cssSelector("#runs-list tr[data-task=import_catalog][data-status=RUNNING] a"));
    click(By.cssSelector("#cancel:enabled"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#run-status .badge.CANCELLED")));

    // Schedules: none registered, an explanation instead of an empty table.
    driver.findElement(By.cssSelector("[data-nav=schedules]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("schedules-empty")));

    // A narrow screen still shows the send form and the task buttons.
    driver.manage().window().setSize(new Dimension(420, 900));
    driver.findElement(By.cssSelector("[data-nav=dashboard]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
        "button.run-task[data-task=backup_db]")));
    assertThat((Long) js("return document.documentElement.scrollWidth;"))
        .isLessThanOrEqualTo(440L);
  }

  @Test
  void theUiAsksForTheTokenWhenTheServerWantsOne() {
    try (AngoraHttpServer guarded = AngoraHttpServer.start(angora, HttpOptions.builder().port(0)
        .token("ui-token-1").drain(Duration.ZERO).build())) {
      driver.get(guarded.url());
      WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#login input[name=token]")));
      token.sendKeys("wrong");
      driver.findElement(By.cssSelector("#login button[type=submit]")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
      token.clear();
      token.sendKeys("ui-token-1");
      driver.findElement(By.cssSelector("#login button[type=submit]")).click();
      wait.until(d -> d.findElements(By.cssSelector("#tasks tbody tr[data-task]")).size()
          == DemoTasks.all().size());
      assertThat(js("return sessionStorage.getItem('angora.token');")).isEqualTo("ui-token-1");
    }
  }

  @Test
  void theSchedulesPageShowsNextFireTimesAndPausesAndResumes() throws Exception {
    ScheduleSource schedules = ScheduleSource.of(List.of(
        Schedule.builder("nightly").cron("5 1 * * 1-5").zone(ZoneId.of("Europe/Paris"))
            .message("time.{HHmm}").build(),
        Schedule.builder("half_hour").every(Duration.ofMinutes(30)).message("time.interval.30")
            .misfire(Misfire.FIRE_ONCE).build(),
        Schedule.builder("off").cron("@daily").message("off").paused(true).build()));
    try (Angora scheduled = Angora.builder().schedules(schedules)
        .task(io.angora.api.TaskDefinition.builder("chime").triggers("time.interval.30")
            .command("true").build())
        .build()) {
      scheduled.start();
      try (AngoraHttpServer other = AngoraHttpServer.start(scheduled, HttpOptions.builder()
          .port(0).drain(Duration.ZERO).build())) {
        driver.manage().window().setSize(new Dimension(1440, 1000));
        driver.get(other.url() + "#/schedules");
        By nightly = By.cssSelector("#schedules tr[data-schedule=nightly]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(nightly));
        assertThat(driver.findElement(nightly).getText()).contains("5 1 * * 1-5")
            .contains("Europe/Paris").contains("time.{HHmm}");
        assertThat(driver.findElements(By.cssSelector(
            "#schedules tr[data-schedule=nightly] td.next time"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("#schedules tr[data-schedule=off]"))
            .getText()).contains("paused in file");
        screenshot("schedules.png", By.cssSelector("main"));

        click(By.cssSelector("#schedules tr[data-schedule=nightly] button[data-action=pause]"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
            "#schedules tr[data-schedule=nightly] button[data-action=resume]")));
        assertThat(scheduled.schedules().get(0).paused()).isTrue();

        click(By.cssSelector("#schedules tr[data-schedule=nightly] button[data-action=resume]"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
            "#schedules tr[data-schedule=nightly] td.next time")));
        assertThat(scheduled.schedules().get(0).paused()).isFalse();

        // The dashboard's tasks table shows when a schedule triggers a task next.
        driver.get(other.url() + "#/");
        By chime = By.cssSelector("#tasks tr[data-task=chime] td.next-schedule time");
        wait.until(ExpectedConditions.visibilityOfElementLocated(chime));
        assertThat(driver.findElement(chime).getAttribute("datetime"))
            .isEqualTo(scheduled.schedules().get(1).nextFire().toString());
        // A future time is shown as future, also once the ticker has rewritten the times twice
        // (5 s apart): it counts down, it never turns into "just now".
        assertThat(driver.findElement(chime).getText()).startsWith("in ");
        long ticks = (Long) js("return window.angoraTicks;");
        wait.until(d -> (Long) js("return window.angoraTicks;") >= ticks + 2);
        assertThat(driver.findElement(chime).getText()).startsWith("in ")
            .doesNotContain("just now").doesNotContain("ago");
        assertThat(driver.findElement(By.cssSelector(
            "#tasks tr[data-task=chime] td.next-schedule .abs")).getText()).isNotBlank();

        // Explain names the schedule sending a message, and says when only a paused one
        // reaches its task.
        scheduled.pauseSchedule("half_hour");
        driver.findElement(By.cssSelector("#send-form input[name=msg]"))
            .sendKeys("time.interval.30");
        click(By.id("explain-button"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#explain-result "
            + "li.explain-schedule[data-schedule=half_hour][data-state=PAUSED]")));
        assertThat(driver.findElement(By.id("explain-result")).getText())
            .contains("chime by trigger time.interval.30 (exact)",
                "Not scheduled: only paused schedule half_hour reaches it",
                "Paused (through the API or the UI): it sends nothing until resumed.");
      }
    }
  }

  private void click(By locator) {
    browser.click(locator);
  }

  private Object js(String script, Object... args) {
    return browser.js(script, args);
  }

  private void screenshot(String name, By element) throws Exception {
    browser.screenshot(name, element);
  }
}
