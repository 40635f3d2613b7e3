package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

/**
 * The whole Web Console of {@code bin/coffer --web run}, as {@code curl} reaches it: the
 * stock pages refuse a change from another origin or with no origin at all, refuse to
 * install bundles and edit configurations until {@code etc/} allows it, deny framing,
 * and sign in with Coffer's password only, which no configuration brings back to
 * admin/admin; failed sign-ins slow down.
 */
public class WebConsoleGuardIT {

    private static final String CONSOLE = "/system/console";
    private static final String OSGI_MANAGER = CONSOLE + "/configMgr/org.apache.felix.webconsole.internal.servlet.OsgiManager";

    @Rule
    public final Distribution dist = new Distribution();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int port;
    private String password;
    private List<String> printed;
    private Process agent;

    @After
    public void stopTheAgent() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            agent.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** The first {@code --web run} of a fresh state folder is the JVM itself: a supervisor's kill stops Coffer. */
    @Test
    public void aKillOfThePidOfTheFirstWebRunStopsCoffer() throws Exception {
        assertFalse(Files.exists(dist.state.resolve("client.jsa")));
        start(false);
        assertTrue(agent.info().command().orElse(""), agent.info().command().orElse("").endsWith("/java"));
        assertEquals(0, agent.descendants().count());
        agent.destroy();
        assertTrue(agent.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort()); // the console's port is free: nothing of Coffer is left
        }
    }

    @Test
    public void aCrossSitePostOrOneWithNoOriginIsRefusedOnEveryPage() throws Exception {
        start(true);
        // the curl form of the review: another origin, and Sec-Fetch-Site saying so
        HttpResponse<String> crossSite = send(post(OSGI_MANAGER, "apply=true&propertylist=realm&realm=x")
                .header("Origin", "http://evil.example:9999").header("Sec-Fetch-Site", "cross-site"), password);
        assertEquals(crossSite.body(), 403, crossSite.statusCode());
        assertEquals(403, send(post(OSGI_MANAGER, "apply=true&propertylist=realm&realm=x"), password).statusCode());
        assertEquals(403, send(post(OSGI_MANAGER, "apply=true&propertylist=realm&realm=x")
                .header("Sec-Fetch-Site", "same-site"), password).statusCode());
        assertEquals(403, send(post(OSGI_MANAGER, "apply=true&propertylist=realm&realm=x")
                .header("Referer", "http://evil.example:9999/page.html"), password).statusCode());
        String challenge = send(request(CONSOLE + "/bundles").GET(), null).headers().firstValue("WWW-Authenticate")
                .orElse("");
        assertFalse(challenge, challenge.contains("\"x\""));
        // the console's own origin, by any of the three kinds of evidence, goes through
        assertEquals(302, send(post(OSGI_MANAGER, "apply=true&propertylist=realm&realm=Coffer")
                .header("Referer", origin() + CONSOLE + "/configMgr"), password).statusCode());
    }

    @Test
    public void savingTheConsolesConfigurationOrAFileForItNeverBringsBackAdminAdmin() throws Exception {
        start(true);
        HttpResponse<String> saved = send(post(OSGI_MANAGER, "apply=true&propertylist=realm&realm=saved")
                .header("Origin", origin()), password);
        assertEquals(saved.body(), 302, saved.statusCode());
        awaitRealm("saved");
        assertEquals(401, send(request(CONSOLE + "/bundles").GET(), "admin").statusCode());
        assertEquals(200, send(request(CONSOLE + "/bundles").GET(), password).statusCode());

        // the same through a file of etc/ naming admin/admin outright
        Files.writeString(dist.home.resolve("etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg"),
                "realm = from a file\nusername = admin\npassword = admin\n", StandardCharsets.UTF_8);
        awaitRealm("from a file");
        assertEquals(401, send(request(CONSOLE + "/bundles").GET(), "admin").statusCode());
        assertEquals(200, send(request(CONSOLE + "/bundles").GET(), password).statusCode());
    }

    @Test
    public void installingABundleAndEditingConfigurationsAreOffByDefault() throws Exception {
        start(false);
        Path jar = intruder();
        String boundary = "coffer-boundary-1";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\ninstall\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"bundlestart\"\r\n\r\nstart\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\"intruder.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> install = send(request(CONSOLE + "/bundles").header("Origin", origin())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), password);
        assertEquals(install.body(), 403, install.statusCode());
        assertTrue(install.body(), install.body().contains("org.coffer.webconsole.cfg"));
        HttpResponse<String> policy = send(post(CONSOLE + "/configMgr/org.coffer.access",
                "apply=true&propertylist=policy&policy=open").header("Origin", origin()), password);
        assertEquals(policy.body(), 403, policy.statusCode());
        String bundles = send(request(CONSOLE + "/bundles.json").GET(), password).body();
        assertTrue(bundles, bundles.contains("org.coffer.provider"));
        assertFalse(bundles, bundles.contains("org.coffer.test.intruder"));
        // what stays allowed: reading the stock pages, and Coffer's own page with its token
        assertEquals(200, send(request(CONSOLE + "/configMgr").GET(), password).statusCode());
        assertEquals(200, send(request(CONSOLE + "/coffer").GET(), password).statusCode());
    }

    @Test
    public void everyPageDeniesFramingAndCaching() throws Exception {
        start(false);
        for (String page : List.of("/bundles", "/configMgr", "/vmstat", "/res/lib/jquery-3.6.4.js", "/coffer")) {
            HttpResponse<String> response = send(request(CONSOLE + page).GET(), password);
            assertTrue(page + " " + response.statusCode(), response.statusCode() == 200 || response.statusCode() == 404);
            assertFraming(page, response);
        }
        // the guard runs before the console's sign-in, so the challenge carries them too
        HttpResponse<String> challenge = send(request(CONSOLE + "/bundles").GET(), null);
        assertEquals(401, challenge.statusCode());
        assertFraming("the sign-in challenge", challenge);
    }

    @Test
    public void theDrawnPasswordIsOnlyInItsFileAndFailedSignInsSlowDown() throws Exception {
        start(false);
        String output = String.join("\n", printed);
        assertFalse("standard error holds the drawn password: " + output.replace(password, "<the password>"),
                output.contains(password));
        assertTrue(output, output.contains(dist.state.resolve("web-password").toString()));

        long begin = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            assertEquals(401, send(request(CONSOLE + "/bundles").GET(), "wrong " + i).statusCode());
        }
        long wrongMillis = (System.nanoTime() - begin) / 1_000_000;
        begin = System.nanoTime();
        HttpResponse<String> right = send(request(CONSOLE + "/coffer").GET(), password);
        long rightMillis = (System.nanoTime() - begin) / 1_000_000;
        System.out.println("6 wrong sign-ins took " + wrongMillis + " ms, the right one then " + rightMillis + " ms");
        assertTrue("6 wrong passwords took only " + wrongMillis + " ms", wrongMillis >= 3_000);
        assertEquals(200, right.statusCode());
        assertTrue("the right password waited " + rightMillis + " ms", rightMillis < 5_000);
        assertTrue(right.body(), right.body().contains("6 failed sign-ins"));
    }

    /**
     * The canary scan of the console: every page and JSON the console links to, signed in,
     * with a secret set before; none shows its value.
     */
    @Test
    public void noPageOfTheConsoleShowsASecret() throws Exception {
        String canary = "Canary-console-5b8e2d";
        org.coffer.test.Processes.Result set = dist.coffer(canary + "\n", "keyring:set", "canary", "console");
        assertEquals(set.stderr, 0, set.exit);
        start(false);
        java.util.Deque<String> toVisit = new java.util.ArrayDeque<>(List.of(CONSOLE + "/bundles", CONSOLE + "/configMgr",
                CONSOLE + "/vmstat", CONSOLE + "/services", CONSOLE + "/components", CONSOLE + "/coffer",
                CONSOLE + "/bundles.json", CONSOLE + "/services.json"));
        java.util.Set<String> visited = new java.util.HashSet<>();
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("(/system/console/[A-Za-z0-9_./-]+)");
        while (!toVisit.isEmpty() && visited.size() < 300) {
            String page = toVisit.poll();
            if (!visited.add(page) || page.contains("/res/") || page.contains("logout") || page.endsWith(".js")
                    || page.endsWith(".css")) {
                continue;
            }
            HttpResponse<String> response = send(request(page).GET(), password);
            assertFalse(page + " shows the secret", response.body().contains(canary));
            java.util.regex.Matcher found = link.matcher(response.body());
            while (found.find()) {
                toVisit.add(found.group(1));
            }
        }
        assertTrue("visited " + visited, visited.size() > 10);
    }

    private static void assertFraming(String page, HttpResponse<String> response) {
        assertEquals(page, "DENY", response.headers().firstValue("X-Frame-Options").orElse(""));
        String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(page + ": " + policy, List.of(policy.split(";\\s*")).contains("frame-ancestors 'none'"));
        String cache = response.headers().firstValue("Cache-Control").orElse("");
        assertTrue(page + ": " + cache, List.of(cache.split(",\\s*")).contains("no-store"));
    }

    /** Starts the agent with the Web Console on a free port, with a drawn password. */
    private void start(boolean changes) throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(dist.home.resolve("etc/config.properties"), "org.osgi.service.http.port=" + port + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (changes) {
            Files.writeString(dist.home.resolve("etc/org.coffer.webconsole.cfg"), "stock.changes = true\n",
                    StandardCharsets.UTF_8);
        }
        List<String> args = new ArrayList<>(dist.command("--web", "run"));
        ProcessBuilder builder = new ProcessBuilder(args);
        builder.environment().putAll(dist.env());
        builder.environment().remove("COFFER_WEB_PASSWORD");
        Process process = builder.start();
        agent = process;
        try (var in = process.getOutputStream()) {
            in.write((Distribution.MASTER + "\n").getBytes(StandardCharsets.UTF_8));
        }
        printed = Distribution.awaitLine(process.getErrorStream(), "running");
        password = Files.readString(dist.state.resolve("web-password")).strip();
        Distribution.await("the console", () -> {
            try {
                return send(request(CONSOLE + "/coffer").GET(), password).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private void awaitRealm(String realm) {
        Distribution.await("the realm " + realm, () -> {
            try {
                return send(request(CONSOLE + "/bundles").GET(), null).headers().firstValue("WWW-Authenticate")
                        .orElse("").contains("\"" + realm + "\"");
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** A bundle that does nothing, but must never be installed. */
    private Path intruder() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "org.coffer.test.intruder");
        Path jar = dist.state.resolveSibling("intruder.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    private String origin() {
        return "http://127.0.0.1:" + port;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(60));
    }

    private HttpRequest.Builder post(String path, String form) {
        return request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    /** @param secret admin's password, or {@code null} for no sign-in */
    private HttpResponse<String> send(HttpRequest.Builder request, String secret) throws Exception {
        if (secret != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + secret)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
