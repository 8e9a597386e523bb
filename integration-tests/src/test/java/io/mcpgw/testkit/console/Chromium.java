package io.mcpgw.testkit.console;

import static org.junit.jupiter.api.Assertions.fail;

import io.mcpgw.testkit.NpmPeers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium for the console's tests: Debian's {@code chromium} and {@code chromium-driver}, driven
 * by plain WebDriver. Like the npm peers, tests that need it run whenever it is installed and always under
 * {@code CI=true}, where a missing browser is an error ({@code .ci/run} installs it).
 */
final class Chromium implements AutoCloseable {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    /** A laptop's window, and a phone's. */
    static final Dimension DESKTOP = new Dimension(1280, 800);
    static final Dimension PHONE = new Dimension(390, 844);

    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the test class without Chromium, or fails it under {@code CI=true}. */
    static void require() {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            if (NpmPeers.required()) {
                fail("CI=true but " + BROWSER + " or " + DRIVER + " is missing (apt-get install chromium chromium-driver)");
            }
            Assumptions.abort("Chromium is not installed here; these tests run wherever it is, and always under CI");
        }
    }

    /** A fresh browser (its own profile, nothing cached) with a window of the given size. */
    static Chromium start(Dimension window) {
        Path profile;
        try {
            profile = Files.createTempDirectory("mcpgw-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + window.getWidth() + "," + window.getHeight());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        driver.manage().window().setSize(window);
        return new Chromium(driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves what the window shows as {@code target/console-screenshots/<name>.png}, for a person to look at. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The errors the page logged (a script that failed, a resource or style the Content-Security-Policy refused). */
    List<String> pageErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                // a profile left in the temp directory harms nothing
            }
        }
    }
}
