package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.coffer.test.Processes;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Coffer's Web Console page in a real browser: Debian's headless Chromium through its
 * chromedriver, against the built distribution started with {@code bin/coffer --web run}.
 * The screenshots stay under {@code target/screenshots/}.
 */
public class WebConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String WEB_PASSWORD = "browser test password";
    private static final String SECRET = "CANARY-browser-4d1e";

    @Rule
    public final Distribution dist = new Distribution();

    private ChromeDriver browser;
    private String page;
    private final Path screenshots = Path.of("target/screenshots");

    @Before
    public void startCofferAndTheBrowser() throws Exception {
        Distribution.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromedriver (apt-get install chromium chromium-driver)");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // the address moves as the README says: a line of etc/config.properties
        Files.writeString(dist.home.resolve("etc/config.properties"), "org.osgi.service.http.port=" + port + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        dist.startAgent(Map.of("COFFER_WEB_PASSWORD", WEB_PASSWORD), "--web");
        page = "http://127.0.0.1:" + port + "/system/console/coffer";

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // as root and in a container without /dev/shm to speak of; no display
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // the Web Console's Basic authentication, on every request the page makes
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + WEB_PASSWORD).getBytes(StandardCharsets.UTF_8)))));
        Files.createDirectories(screenshots);
    }

    /** What the browser showed when a test failed, for the person reading the report. */
    @Rule
    public final org.junit.rules.TestWatcher failure = new org.junit.rules.TestWatcher() {
        @Override
        protected void failed(Throwable e, org.junit.runner.Description description) {
            if (browser != null) {
                try {
                    shoot("failed-" + description.getMethodName());
                    Files.writeString(screenshots.resolve("failed-" + description.getMethodName() + ".html"),
                            browser.getCurrentUrl() + "\n" + browser.getPageSource());
                } catch (Exception ignored) {
                    // the failure itself is reported
                }
            }
        }

        @Override
        protected void finished(org.junit.runner.Description description) {
            if (browser != null) {
                browser.quit();
            }
        }
    };



    @Test
    public void setsASecretByKeyboardAloneThenMigratesPlaintextToCryptfile() throws Exception {
        browser.get(page);
        assertEquals("Backends", browser.findElement(By.cssSelector("#coffer h2")).getText());
        assertTrue(browser.getTitle(), browser.getTitle().contains("Coffer"));
        shoot("01-page");

        // the set form, reached and filled with the keyboard alone
        WebElement backend = tabTo(By.cssSelector("form.coffer-set select[name=backend]"));
        backend.sendKeys("plaintext");
        type(Keys.TAB, "web-svc");
        type(Keys.TAB, "web-user");
        type(Keys.TAB, SECRET);
        type(Keys.TAB, SECRET);
        new Actions(browser).sendKeys(Keys.TAB).perform();
        WebElement button = browser.switchTo().activeElement();
        assertEquals("Set", button.getText());
        button.sendKeys(Keys.ENTER);
        wait(Duration.ofSeconds(20)).until(b -> b.getCurrentUrl().contains("outcome="));
        assertEquals("Stored the secret of web-svc / web-user in plaintext.",
                browser.findElement(By.cssSelector(".coffer-outcome")).getText());
        assertEquals(1, browser.findElements(By.cssSelector(
                "table.coffer-entries[data-backend=plaintext] tr[data-service=web-svc][data-username=web-user]")).size());
        shoot("02-secret-set");

        // the filter hides what does not match as one types
        WebElement filter = browser.findElement(By.cssSelector(".coffer-filter input[type=search]"));
        filter.sendKeys("no such entry");
        assertFalse(browser.findElement(By.cssSelector("tr[data-service=web-svc]")).isDisplayed());
        filter.clear();
        filter.sendKeys("web");
        assertTrue(browser.findElement(By.cssSelector("tr[data-service=web-svc]")).isDisplayed());

        new Select(browser.findElement(By.cssSelector("form.coffer-migrate select[name=from]"))).selectByVisibleText("plaintext");
        new Select(browser.findElement(By.cssSelector("form.coffer-migrate select[name=to]"))).selectByVisibleText("cryptfile");
        browser.findElement(By.cssSelector("form.coffer-migrate button")).click();
        // coffer.js polls the progress and reloads with the verification once it is done
        wait(Duration.ofSeconds(60)).until(b -> b.findElements(By.cssSelector(".coffer-migration-result")).stream()
                .anyMatch(e -> e.getText().startsWith("Verified")));
        assertEquals("Verified: 1 entries copied from plaintext to cryptfile read back equal; the originals are kept",
                browser.findElement(By.cssSelector(".coffer-migration-result")).getText());
        assertEquals(1, browser.findElements(By.cssSelector(
                "table.coffer-entries[data-backend=cryptfile] tr[data-service=web-svc]")).size());
        shoot("03-migrated");

        Processes.Result read = dist.coffer(null, "keyring:get", "web-svc", "web-user");
        assertEquals(read.stderr, 0, read.exit);
        assertEquals(SECRET, read.stdout.strip());
        assertFalse("the page never shows a secret", browser.getPageSource().contains(SECRET));
    }

    /** Presses Tab from the top of the page until the element has the focus, as a keyboard user does. */
    private WebElement tabTo(By wanted) {
        WebElement target = browser.findElement(wanted);
        browser.findElement(By.tagName("body")).click();
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            if (focused.equals(target)) {
                assertLabelled(focused);
                return focused;
            }
            passed.add(focused.getTagName());
        }
        throw new AssertionError("Tab never reached " + wanted + "; it passed " + passed);
    }

    private void type(Keys move, String text) {
        new Actions(browser).sendKeys(move).perform();
        WebElement focused = browser.switchTo().activeElement();
        assertLabelled(focused);
        focused.sendKeys(text);
    }

    /** A field the keyboard reaches has a real label, which names it for a screen reader. */
    private void assertLabelled(WebElement field) {
        String id = field.getAttribute("id");
        assertFalse("a field without an id: " + field.getAttribute("name"), id == null || id.isEmpty());
        assertEquals("the label of " + id, 1, browser.findElements(By.cssSelector("label[for='" + id + "']")).size());
    }

    private WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(browser, timeout);
    }

    private void shoot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
