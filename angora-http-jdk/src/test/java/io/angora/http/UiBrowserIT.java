package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.engine.Angora;
import io.angora.engine.schedule.Misfire;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.ScheduleSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code CHROME_BIN} and {@code CHROMEDRIVER} override the paths).
 * Skipped without them, except under {@code CI=true}, where that fails. With
 * {@code ANGORA_SCREENSHOTS=dir} (environment or system property) it saves
 * {@code dashboard.png} and {@code workflow-graph.png} there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiBrowserIT {
  private Angora angora;
  private AngoraHttpServer server;
  private WebDriver driver;
  private WebDriverWait wait;
  private String missing;

  @BeforeAll
  void start(@TempDir Path profile) {
    String chrome = env("CHROME_BIN", "/usr/bin/chromium");
    String chromedriver = env("CHROMEDRIVER", "/usr/bin/chromedriver");
    boolean present = Files.isExecutable(Path.of(chrome))
        && Files.isExecutable(Path.of(chromedriver));
    String missing = "Chromium or its driver is missing (" + chrome + ", " + chromedriver
        + "): install the Debian packages chromium and chromium-driver, or set CHROME_BIN and "
        + "CHROMEDRIVER";
    if (!present) {
      // Reported per test (skipped, or failed under CI) by requireBrowser().
      this.missing = missing;
      return;
    }
    angora = Angora.builder().task(DemoTasks.all().toArray(new io.angora.api.TaskDefinition[0]))
        .concurrency(4).shutdownGrace(Duration.ofSeconds(1)).build();
    angora.start();
    server = AngoraHttpServer.start(angora, HttpOptions.builder().port(0)
        .drain(Duration.ZERO).build());

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chrome);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000",
        "--force-device-scale-factor=1", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1440, 1000));
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  @BeforeEach
  void requireBrowser() {
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(missing + " (CI=true: the browser test must run)");
      }
      Assumptions.abort(missing + "; the browser test is skipped");
    }
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
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
    wait.until(d -> d.findElements(By.cssSelector("#tasks .badge.SUCCEEDED")).size() >= 9);
    js("document.getElementById('toast').replaceChildren();");
    screenshot("dashboard.png", null);

    // The workflow graph: one node per task.
    driver.findElement(By.cssSelector("[data-nav=graph]")).click();
    wait.until(d -> d.findElements(By.cssSelector("svg#graph g.node")).size() == tasks);
    assertThat(driver.findElements(By.cssSelector("svg#graph path.edge")).size())
        .isGreaterThanOrEqualTo(10);
    assertThat(driver.findElements(By.cssSelector("svg#graph g.node.SUCCEEDED")).size())
        .isGreaterThanOrEqualTo(9);
    screenshot("workflow-graph.png", By.cssSelector("main"));

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
      }
    }
  }

  /** Clicks an element of a live-updating view, looking it up again if it was just redrawn. */
  private void click(By locator) {
    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement element = d.findElement(locator);
      if (!element.isDisplayed() || !element.isEnabled()) {
        return false;
      }
      element.click();
      return true;
    });
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private void screenshot(String name, By element) throws Exception {
    String dir = System.getProperty("ANGORA_SCREENSHOTS", System.getenv("ANGORA_SCREENSHOTS"));
    if (dir == null || dir.isBlank()) {
      return;
    }
    File shot = element == null ? ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE)
        : driver.findElement(element).getScreenshotAs(OutputType.FILE);
    Path target = Path.of(dir).resolve(name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

}
