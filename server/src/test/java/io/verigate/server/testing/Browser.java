package io.verigate.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through chromium-driver (Debian's {@code chromium} and {@code chromium-driver}), for
 * the dashboard's browser tests. CI selects them with {@code VERIGATE_BROWSER_TESTS=1}, and then a missing browser is
 * a failure; without the switch they run where the browser is installed and are skipped where it is not.
 *
 * <p>Screenshots go to {@code target/screenshots/}, and also to the documentation's {@code docs/screenshots/} when
 * {@code VERIGATE_SCREENSHOTS=1} (to refresh the committed pictures after a change of the pages).
 */
public final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("VERIGATE_CHROMIUM", "/usr/bin/chromium"));
  private static final Path DRIVER =
      Path.of(System.getenv().getOrDefault("VERIGATE_CHROMEDRIVER", "/usr/bin/chromedriver"));
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Path DOCUMENTED = Path.of("..", "docs", "screenshots");
  public static final Duration PATIENCE = Duration.ofSeconds(20);

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts a browser; fails when CI selected browser tests and there is none, otherwise skips the test class. */
  public static Browser start() {
    boolean selected = "1".equals(System.getenv("VERIGATE_BROWSER_TESTS"));
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!present) {
      String missing = "chromium and chromium-driver are needed at " + CHROMIUM + " and " + DRIVER
          + " (apt-get install -y chromium chromium-driver)";
      if (selected) {
        throw new AssertionError("VERIGATE_BROWSER_TESTS=1 selects the browser tests, but " + missing);
      }
      Assumptions.abort(missing);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1100,800", "--hide-scrollbars");
    // The driver's output goes to a file: the test JVM's stdout belongs to surefire.
    File log = new File("target", "chromedriver.log");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(log)
        .build();
    return new Browser(new ChromeDriver(service, options));
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /**
   * The text of the element {@code css} finds, found again when the page replaced it between the finding and the
   * reading (an htmx swap, a redirect after a form): a test reads what the page shows, not one node of it.
   */
  public String text(String css) {
    for (int attempt = 1; ; attempt++) {
      try {
        return find(css).getText();
      } catch (StaleElementReferenceException replaced) {
        if (attempt == 5) {
          throw replaced;
        }
      }
    }
  }

  public boolean has(String css) {
    return !driver.findElements(By.cssSelector(css)).isEmpty();
  }

  /** Waits until an element is on the page, and returns it. */
  public WebElement await(String css) {
    return new WebDriverWait(driver, PATIENCE).until(d -> d.findElements(By.cssSelector(css)).stream().findFirst()
        .orElse(null));
  }

  /** Fills the named fields of the page's form and submits it with its submit button. */
  public void fill(String formCss, String... namesAndValues) {
    // Awaited: the form is often on the page that the previous submit is still loading.
    WebElement form = await(formCss);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      WebElement field = form.findElement(By.name(namesAndValues[i]));
      field.clear();
      field.sendKeys(namesAndValues[i + 1]);
    }
    form.findElement(By.cssSelector("button[type=submit]")).click();
  }

  /** A screenshot of the page as it is, named {@code name}.png; at a phone's width when {@code phone}. */
  public void screenshot(String name, boolean phone) {
    Dimension before = driver.manage().window().getSize();
    if (phone) {
      driver.manage().window().setSize(new Dimension(390, 760));
    }
    try {
      Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.createDirectories(SCREENSHOTS);
      Files.copy(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      if ("1".equals(System.getenv("VERIGATE_SCREENSHOTS"))) {
        Files.createDirectories(DOCUMENTED);
        Files.copy(png, DOCUMENTED.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
