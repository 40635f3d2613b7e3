package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coffer.AuditEvent;
import org.coffer.BackendInfo;
import org.coffer.Secret;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Coffer's page of the Felix Web Console, over HTTP as a browser reaches it: in Felix and
 * Equinox on Felix HTTP's Jetty, in Karaf on its own {@code webconsole} feature (Pax Web).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class WebConsoleIT extends CofferSupport {

    private static final String USER = "webadmin";
    private static final String PASSWORD = "web-console-test-7b2";
    private static final String CANARY = "CANARY-web-7f3a9c";
    private static final String PAGE = "/system/console/coffer";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Every body this test received, for the canary scan. */
    private final List<String> bodies = new ArrayList<>();

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.CRYPTFILE, Part.WEBCONSOLE);
    }

    @Override
    protected Option[] extra() throws IOException {
        String port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = Integer.toString(free.getLocalPort());
        }
        List<Option> options = new ArrayList<>(List.of(CoreOptions.systemProperty("coffer.web.port").value(port)));
        if (Containers.karaf()) {
            options.add(KarafDistributionOption.editConfigurationFilePut("etc/org.ops4j.pax.web.cfg",
                    "org.osgi.service.http.port", port));
            // Karaf's users.properties has no user until one is added; its Web Console wants the role admin
            options.add(KarafDistributionOption.editConfigurationFilePut("etc/users.properties", USER,
                    PASSWORD + ",admin"));
        } else {
            options.add(property("org.osgi.service.http.port", port));
            options.add(property("org.apache.felix.http.host", "127.0.0.1"));
            options.add(property("felix.webconsole.username", USER));
            options.add(property("felix.webconsole.password", PASSWORD));
        }
        return options.toArray(new Option[0]);
    }

    @Test
    public void rendersThePageWithNoStoreAndAPolicyThatRunsNoInlineScript() throws Exception {
        configureKeyrings();
        HttpResponse<String> unauthenticated = send(request(PAGE).GET(), false);
        assertEquals(401, unauthenticated.statusCode());

        HttpResponse<String> page = get(PAGE);
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue(page.body(), page.body().contains("<h2 id=\"coffer-backends\">Backends</h2>"));
        assertTrue(page.body().contains("data-backend=\"cryptfile\""));
        assertEveryFieldIsLabelled(page.body());
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy, List.of(policy.split(";\\s*")).contains("script-src 'self'"));
        assertTrue(policy, List.of(policy.split(";\\s*")).contains("frame-ancestors 'none'"));
        HttpResponse<String> script = get(PAGE + "/res/coffer.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("coffer-migration"));
    }

    @Test
    public void aPostWithoutTheTokenOrFromAnotherOriginChangesNothing() throws Exception {
        configureKeyrings();
        String token = token();
        assertEquals(403, post(form("action", "pin", "backend", "cryptfile"), Optional.empty()).statusCode());
        assertEquals(403, post(form("coffer-token", "forged", "action", "pin", "backend", "cryptfile"),
                Optional.empty()).statusCode());
        assertEquals(403, post(form("coffer-token", token, "action", "pin", "backend", "cryptfile"),
                Optional.of("http://attacker.example")).statusCode());
        assertEquals(Optional.empty(), admin.pinned());
        assertEquals(303, post(form("coffer-token", token, "action", "pin", "backend", "cryptfile"),
                Optional.of("http://127.0.0.1:" + port())).statusCode());
        assertEquals(Optional.of("cryptfile"), admin.pinned());
        admin.useAutomatic();
    }

    @Test
    public void pinLockAndUnlockChangeTheProviderAndAreAuditedAsThePluginsBundle() throws Exception {
        configureKeyrings();
        String token = token();
        String outcome = follow(post(form("coffer-token", token, "action", "pin", "backend", "plaintext"), Optional.empty()));
        assertTrue(outcome, outcome.contains("Pinned plaintext"));
        assertEquals(Optional.of("plaintext"), admin.pinned());
        assertEquals("plaintext", activeName());
        follow(post(form("coffer-token", token, "action", "unpin"), Optional.empty()));
        assertEquals(Optional.empty(), admin.pinned());
        assertEquals("cryptfile", activeName());

        outcome = follow(post(form("coffer-token", token, "action", "unlock", "backend", "cryptfile",
                "password", "first one", "confirm", "other"), Optional.empty()));
        assertTrue(outcome, outcome.contains("The two passwords differ"));
        assertTrue(backend("cryptfile").locked());
        follow(post(form("coffer-token", token, "action", "unlock", "backend", "cryptfile",
                "password", CANARY, "confirm", CANARY), Optional.empty()));
        assertFalse(backend("cryptfile").locked());
        // the file holds an entry now, so a wrong password shows
        admin.set("cryptfile", "svc", "u", Secret.of("x"));
        follow(post(form("coffer-token", token, "action", "lock", "backend", "cryptfile"), Optional.empty()));
        assertTrue(backend("cryptfile").locked());
        outcome = follow(post(form("coffer-token", token, "action", "unlock", "backend", "cryptfile",
                "password", "wrong"), Optional.empty()));
        assertTrue(outcome, backend("cryptfile").locked());
        follow(post(form("coffer-token", token, "action", "unlock", "backend", "cryptfile",
                "password", CANARY), Optional.empty()));
        assertFalse(backend("cryptfile").locked());

        List<String> actions = new ArrayList<>();
        for (AuditEvent event : admin.audit(0)) {
            if (event.bundle().equals("org.coffer.webconsole")) {
                actions.add(event.action() + " " + event.backend() + " " + event.outcome());
            }
        }
        assertTrue(actions.toString(), actions.contains("PIN plaintext ok"));
        assertTrue(actions.toString(), actions.contains("LOCK cryptfile ok"));
        assertTrue(actions.toString(), actions.contains("UNLOCK cryptfile ok"));
        String page = get(PAGE).body();
        assertTrue(page.substring(Math.max(0, page.length() - 3000)), page.contains("<td>org.coffer.webconsole</td>"));
        assertNoCanary();
    }

    @Test
    public void setsListsMigratesAndDeletesWithoutEverShowingAValue() throws Exception {
        configureKeyrings();
        admin.unlock("cryptfile", Secret.of("cryptfile password"));
        String token = token();
        String outcome = follow(post(form("coffer-token", token, "action", "set", "backend", "plaintext",
                "service", "db <main>", "username", "app", "secret", CANARY, "confirm", CANARY), Optional.empty()));
        assertTrue(outcome, outcome.contains("Stored the secret of db &lt;main&gt; / app in plaintext"));
        assertEquals(CANARY, provider.get("db <main>", "app").map(Secret::reveal).orElse(null));
        assertTrue(get(PAGE).body().contains("data-service=\"db &lt;main&gt;\" data-username=\"app\""));

        outcome = follow(post(form("coffer-token", token, "action", "migrate", "from", "plaintext", "to", "cryptfile"),
                Optional.empty()));
        assertTrue(outcome, outcome.contains("Migrating from plaintext to cryptfile"));
        await("the migration to finish", () -> {
            try {
                return get(PAGE + "/migration.json").body().contains("\"running\":false");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String status = get(PAGE + "/migration.json").body();
        assertTrue(status, status.contains("\"done\":1,\"total\":1,\"failed\":false"));
        assertTrue(get(PAGE).body().contains("Verified: 1 entries copied from plaintext to cryptfile"));
        assertTrue(admin.entries("cryptfile").stream().anyMatch(e -> e.service().equals("db <main>")));

        outcome = follow(post(form("coffer-token", token, "action", "delete", "backend", "plaintext",
                "service", "db <main>", "username", "app"), Optional.empty()));
        assertTrue(outcome, outcome.contains("Tick the box"));
        outcome = follow(post(form("coffer-token", token, "action", "delete", "backend", "plaintext",
                "service", "db <main>", "username", "app", "confirm", "on"), Optional.empty()));
        assertTrue(outcome, outcome.contains("Deleted db &lt;main&gt; / app from plaintext"));
        assertTrue(admin.entries("plaintext").isEmpty());
        assertEquals(CANARY, provider.get("db <main>", "app").map(Secret::reveal).orElse(null));
        assertNoCanary();
    }

    @Test
    public void theAccessPolicyAppliesToThePluginsOwnBundle() throws Exception {
        configureKeyrings();
        String token = token();
        try {
            access(new Hashtable<>(java.util.Map.of("policy", "enforce")));
            await("the enforced policy on the page", () -> page().contains("org.coffer.webconsole may not list"));
            String outcome = follow(post(form("coffer-token", token, "action", "pin", "backend", "plaintext"),
                    Optional.empty()));
            assertTrue(outcome, outcome.contains("Bundle org.coffer.webconsole may not pin plaintext"));
            assertEquals(Optional.empty(), admin.pinned());

            access(new Hashtable<>(java.util.Map.of("policy", "enforce", "admin", "org.coffer.webconsole")));
            await("the plugin named as administrator", () -> !page().contains("may not list"));
            outcome = follow(post(form("coffer-token", token, "action", "pin", "backend", "plaintext"), Optional.empty()));
            assertTrue(outcome, outcome.contains("Pinned plaintext"));
            outcome = follow(post(form("coffer-token", token, "action", "set", "backend", "plaintext", "service", "db",
                    "username", "app", "secret", CANARY, "confirm", CANARY), Optional.empty()));
            assertTrue(outcome, outcome.contains("may not write db/app"));
        } finally {
            removeAccessPolicy();
            await("the open policy again", () -> {
                try {
                    admin.useAutomatic();
                    return true;
                } catch (org.coffer.AccessDeniedException e) {
                    return false;
                }
            });
        }
        assertNoCanary();
    }

    @Test
    public void theStockPagesRefuseChangesFromAnotherOriginOrNoneAndDenyFraming() throws Exception {
        configureKeyrings();
        String configMgr = "/system/console/configMgr/org.coffer.access";
        HttpRequest.Builder crossSite = request(configMgr).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example:9999").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("apply=true&propertylist=policy&policy=audit"));
        HttpResponse<String> refused = send(crossSite, true);
        assertEquals(refused.body(), 403, refused.statusCode());
        HttpRequest.Builder noOrigin = request(configMgr).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apply=true&propertylist=policy&policy=audit"));
        assertEquals(403, send(noOrigin, true).statusCode());
        assertEquals(null, configurationAdmin.getConfiguration("org.coffer.access", "?").getProperties());
        for (String page : List.of("/system/console/configMgr", "/system/console/bundles", "/system/console/vmstat")) {
            HttpResponse<String> response = get(page);
            assertEquals(page, 200, response.statusCode());
            assertEquals(page, "DENY", response.headers().firstValue("X-Frame-Options").orElse(""));
            String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(page + ": " + policy, List.of(policy.split(";\\s*")).contains("frame-ancestors 'none'"));
            String cache = response.headers().firstValue("Cache-Control").orElse("");
            assertTrue(page + ": " + cache, List.of(cache.split(",\\s*")).contains("no-store"));
        }
    }

    /** The access policy, written to its file as an administrator does: the provider reads no other. */
    private void access(Dictionary<String, Object> rules) throws IOException {
        java.util.Map<String, String> policy = new java.util.TreeMap<>();
        java.util.Collections.list(rules.keys()).forEach(key -> policy.put(key, String.valueOf(rules.get(key))));
        writeAccessPolicy(policy);
    }

    private String page() {
        try {
            return get(PAGE).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void configureKeyrings() throws IOException {
        Path dir = workDir("webconsole");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        org.osgi.service.cm.Configuration cryptfile = configurationAdmin.getConfiguration("org.coffer.backend.cryptfile", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("file", dir.resolve("cryptfile_pass.cfg").toString());
        properties.put("service.ranking", 250);
        cryptfile.update(properties);
        await("cryptfile on " + dir, () -> admin.backends().stream()
                .anyMatch(b -> b.name().equals("cryptfile") && b.description().contains(dir.toString())));
        String[] last = {""};
        await("the Coffer page", () -> {
            try {
                HttpResponse<String> page = get(PAGE);
                last[0] = page.statusCode() + " " + page.body().substring(0, Math.min(300, page.body().length()));
                return page.statusCode() == 200;
            } catch (Exception e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0]);
    }

    /** Each visible input and select of the page has a {@code <label for>} naming it. */
    private static void assertEveryFieldIsLabelled(String body) {
        String content = body.substring(body.indexOf("<div id=\"coffer\""));
        Matcher field = Pattern.compile("<(input|select)\\b([^>]*)>").matcher(content);
        int fields = 0;
        while (field.find()) {
            String attributes = field.group(2);
            if (attributes.contains("type=\"hidden\"")) {
                continue;
            }
            Matcher id = Pattern.compile("id=\"([^\"]+)\"").matcher(attributes);
            assertTrue("a field without an id: " + field.group(), id.find());
            assertTrue("no label for " + id.group(1), content.contains("<label for=\"" + id.group(1) + "\">"));
            fields++;
        }
        assertTrue("the page has fields: " + fields, fields >= 8);
    }

    private BackendInfo backend(String name) {
        return admin.backends().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no backend " + name));
    }

    private String token() throws Exception {
        Matcher token = Pattern.compile("name=\"coffer-token\" value=\"([^\"]+)\"").matcher(get(PAGE).body());
        assertTrue("the page has forms with a token", token.find());
        return token.group(1);
    }

    /** @return the outcome the page shows after the redirect of a post */
    private String follow(HttpResponse<String> posted) throws Exception {
        assertEquals(posted.body(), 303, posted.statusCode());
        String location = posted.headers().firstValue("Location").orElse("");
        assertTrue(location, location.startsWith(PAGE + "?outcome="));
        String body = get(location).body();
        Matcher outcome = Pattern.compile("class=\"coffer-outcome[^\"]*\" role=\"[a-z]+\">([^<]*)<").matcher(body);
        assertTrue(body, outcome.find());
        return outcome.group(1);
    }

    private void assertNoCanary() {
        assertFalse("no response holds a secret", bodies.isEmpty());
        for (String body : bodies) {
            assertFalse("a response holds the secret", body.contains(CANARY));
        }
    }

    private static String form(String... fields) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            form.append(form.length() == 0 ? "" : "&").append(fields[i]).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET(), true);
    }

    private HttpResponse<String> post(String form, Optional<String> origin) throws Exception {
        HttpRequest.Builder request = request(PAGE).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        // a browser shows where a post comes from; the console's guard refuses one that does not
        request.header("Origin", origin.orElse("http://127.0.0.1:" + port()));
        return send(request, true);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, boolean authenticated) throws Exception {
        if (authenticated) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        bodies.add(response.body());
        return response;
    }

    private static String port() {
        String port = System.getProperty("coffer.web.port");
        assertNotNull("the test's HTTP port", port);
        return port;
    }
}
