package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The attack of the review, in a real browser: headless Chromium, signed in to the Web
 * Console of {@code bin/coffer --web run}, visits pages of another origin
 * ({@code evil.example}, mapped to 127.0.0.1 with {@code --host-resolver-rules}) that
 * post by themselves to the console's configuration page and its bundle installer. The
 * stock pages' changes are on here ({@code stock.changes = true}), so the origin guard
 * alone is what refuses them.
 */
public class WebConsoleCrossSiteIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String WEB_PASSWORD = "cross-site test password";
    private static final String INTRUDER = "org.coffer.test.crosssite";

    @Rule
    public final Distribution dist = new Distribution();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ChromeDriver browser;
    private HttpServer evil;
    private String console;

    @Before
    public void startCofferTheBrowserAndAnotherSite() throws Exception {
        Distribution.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromedriver (apt-get install chromium chromium-driver)");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(dist.home.resolve("etc/config.properties"), "org.osgi.service.http.port=" + port + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.writeString(dist.home.resolve("etc/org.coffer.webconsole.cfg"), "stock.changes = true\n",
                StandardCharsets.UTF_8);
        Files.writeString(dist.home.resolve("etc/org.coffer.access.cfg"), "policy = enforce\n", StandardCharsets.UTF_8);
        dist.startAgent(Map.of("COFFER_WEB_PASSWORD", WEB_PASSWORD), "--web");
        console = "http://127.0.0.1:" + port + "/system/console";
        Distribution.await("the Coffer page", () -> coffer().contains("id=\"coffer-backends\""));

        evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/config.html", exchange -> serve(exchange, configPage()));
        String install = installPage();
        evil.createContext("/install.html", exchange -> serve(exchange, install));
        evil.start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP evil.example 127.0.0.1");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        // signed in to the console, on every request the browser makes
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + WEB_PASSWORD).getBytes(StandardCharsets.UTF_8)))));
    }

    @After
    public void stopTheBrowserAndTheSite() {
        if (browser != null) {
            browser.quit();
        }
        if (evil != null) {
            evil.stop(0);
        }
    }

    @Test
    public void aPageOfAnotherOriginCannotOpenTheAccessPolicy() throws Exception {
        boolean enforced = coffer().contains("may not list");
        browser.get("http://evil.example:" + evil.getAddress().getPort() + "/config.html");
        String refusal = refusalShown();
        assertTrue(refusal, refusal.contains("another origin"));
        assertEquals("the policy as it was", enforced, coffer().contains("may not list"));
    }

    @Test
    public void aPageOfAnotherOriginCannotInstallABundle() throws Exception {
        browser.get("http://evil.example:" + evil.getAddress().getPort() + "/install.html");
        String refusal = refusalShown();
        assertTrue(refusal, refusal.contains("another origin"));
        String bundles = get("/bundles.json").body();
        assertTrue(bundles, bundles.contains("org.coffer.provider"));
        assertFalse(bundles, bundles.contains(INTRUDER));
    }

    /** @return the text of the page the browser ends on, once it has posted to the console */
    private String refusalShown() {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getCurrentUrl().startsWith(console));
        return browser.findElement(org.openqa.selenium.By.tagName("body")).getText();
    }

    private String configPage() {
        return "<!doctype html><html><body><form id=\"f\" method=\"post\" action=\"" + console
                + "/configMgr/org.coffer.access\"><input type=\"hidden\" name=\"apply\" value=\"true\">"
                + "<input type=\"hidden\" name=\"propertylist\" value=\"policy\">"
                + "<input type=\"hidden\" name=\"policy\" value=\"open\"></form>"
                + "<script>document.getElementById('f').submit();</script></body></html>";
    }

    /** A form that puts a jar into its file input by script and posts it to the installer, as the review's did. */
    private String installPage() throws Exception {
        return "<!doctype html><html><body><form id=\"f\" method=\"post\" enctype=\"multipart/form-data\" action=\""
                + console + "/bundles\"><input type=\"hidden\" name=\"action\" value=\"install\">"
                + "<input type=\"hidden\" name=\"bundlestart\" value=\"start\">"
                + "<input type=\"file\" id=\"jar\" name=\"bundlefile\"></form><script>"
                + "const bytes = Uint8Array.from(atob('" + Base64.getEncoder().encodeToString(intruder()) + "'),"
                + " c => c.charCodeAt(0));"
                + "const files = new DataTransfer(); files.items.add(new File([bytes], 'intruder.jar'));"
                + "document.getElementById('jar').files = files.files;"
                + "document.getElementById('f').submit();</script></body></html>";
    }

    private static byte[] intruder() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", INTRUDER);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar, manifest)) {
            out.flush();
        }
        return jar.toByteArray();
    }

    private static void serve(com.sun.net.httpserver.HttpExchange exchange, String html) throws java.io.IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String coffer() {
        try {
            return get("/coffer").body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(console + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + WEB_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(path, 200, response.statusCode());
        return response;
    }
}
