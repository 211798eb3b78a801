package dev.quorum.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driving the war room, for the browser tests. */
final class WarRoomBrowser {
  static final Path CHROMIUM = Path.of(System.getProperty("quorum.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("quorum.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Duration WAIT = Duration.ofSeconds(30);

  private WarRoomBrowser() {}

  /** Skips without the browser, except under CI (where {@code .ci/run} installs it): there it fails. */
  static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && System.getenv("CI") != null) {
      fail("the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + ": .ci/run installs Debian's chromium and chromium-driver");
    }
    Assumptions.assumeTrue(present, "no " + CHROMIUM + " or " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
  }

  static ChromeDriver open() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    return driver;
  }

  /** Signs in on the war room's sign-in page, as the browser is sent there, and waits for the board. */
  static void signIn(ChromeDriver driver, Up up, String responder) {
    driver.get(up.warRoomUrl() + "/");
    until(driver, d -> d.getCurrentUrl().endsWith("/signin") ? true : null);
    driver.findElement(By.id("token")).sendKeys(up.responderTokens().get(responder), Keys.ENTER);
    until(driver, d -> d.findElement(By.id("actor")).getText().contains("user:" + responder) ? true : null);
  }

  /** Waits until the page's live update stream is connected. */
  static void live(ChromeDriver driver) {
    until(driver, d -> d.findElements(By.cssSelector("#live.on")).isEmpty() ? null : true);
  }

  static void focus(ChromeDriver driver, String id) {
    ((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).focus();", id);
  }

  static String text(WebDriver driver, String id) {
    List<WebElement> found = driver.findElements(By.id(id));
    return found.isEmpty() ? null : found.get(0).getText();
  }

  static <T> T until(WebDriver driver, Function<WebDriver, T> condition) {
    return until(driver, WAIT, condition);
  }

  static <T> T until(WebDriver driver, Duration wait, Function<WebDriver, T> condition) {
    // the pages redraw as updates arrive: an element found a moment ago may have been replaced
    return new WebDriverWait(driver, wait, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
        .until(condition::apply);
  }

  /** The page in a window {@code height} tall for the moment, as a PNG under target/screenshots/. */
  static void screenshot(ChromeDriver driver, String name, int height) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    driver.manage().window().setSize(new Dimension(1400, height));
    try {
      ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0);");
      Thread.sleep(300); // the layout settles at the new size
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      driver.manage().window().setSize(new Dimension(1400, 1000));
    }
  }
}
