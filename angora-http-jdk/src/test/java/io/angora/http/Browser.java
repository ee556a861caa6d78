package io.angora.http;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for the browser tests (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code CHROME_BIN} and {@code CHROMEDRIVER} override the paths).
 * Without them each test is skipped, except under {@code CI=true}, where it fails. With
 * {@code ANGORA_SCREENSHOTS=dir} (environment or system property) screenshots are saved there.
 */
final class Browser implements AutoCloseable {
  private final WebDriver driver;
  final WebDriverWait wait;

  private Browser(WebDriver driver) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  /** Why there is no browser, or null when there is one. */
  static String missing() {
    String chrome = env("CHROME_BIN", "/usr/bin/chromium");
    String chromedriver = env("CHROMEDRIVER", "/usr/bin/chromedriver");
    return Files.isExecutable(Path.of(chrome)) && Files.isExecutable(Path.of(chromedriver))
        ? null
        : "Chromium or its driver is missing (" + chrome + ", " + chromedriver
            + "): install the Debian packages chromium and chromium-driver, or set CHROME_BIN "
            + "and CHROMEDRIVER";
  }

  /** Skips (or fails under CI=true) a test without a browser. */
  static void require(String missing) {
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(missing + " (CI=true: the browser test must run)");
      }
      Assumptions.abort(missing + "; the browser test is skipped");
    }
  }

  static Browser start(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(env("CHROME_BIN", "/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000",
        "--force-device-scale-factor=1", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(env("CHROMEDRIVER", "/usr/bin/chromedriver")))
        .usingAnyFreePort().build();
    WebDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1440, 1000));
    return new Browser(driver);
  }

  WebDriver driver() {
    return driver;
  }

  /** Sets the size of the page's viewport (not of the window around it). */
  void viewport(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    long w = (Long) js("return window.innerWidth;");
    long hgt = (Long) js("return window.innerHeight;");
    driver.manage().window().setSize(new Dimension(width + (int) (width - w),
        height + (int) (height - hgt)));
  }

  /** Clicks an element of a live-updating view, looking it up again if it was just redrawn. */
  void click(By locator) {
    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement element = d.findElement(locator);
      if (!element.isDisplayed() || !element.isEnabled()) {
        return false;
      }
      element.click();
      return true;
    });
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  void screenshot(String name, By element) throws Exception {
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

  @Override
  public void close() {
    driver.quit();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
