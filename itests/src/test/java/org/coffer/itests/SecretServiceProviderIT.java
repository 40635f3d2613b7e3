package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.test.Processes;
import org.coffer.test.Processes.Result;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Coffer serves {@code org.freedesktop.secrets} on a private session bus, its default
 * collection being the provider chain: Python's keyring (its own backend test suite,
 * unchanged) and libsecret's {@code secret-tool} read and write Coffer's keyrings.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecretServiceProviderIT extends CofferSupport {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String SECRET_TOOL = "/usr/bin/secret-tool";
    /** Python keyring's own backend suite, run on its Secret Service backend. */
    private static final String SUITE = String.join("\n",
            "from keyring.testing.backend import BackendBasicTests",
            "from keyring.backends import SecretService",
            "class TestCoffersSecretService(BackendBasicTests):",
            "    def init_keyring(self):",
            "        return SecretService.Keyring()",
            "");

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.SECRETSERVICE, Part.SECRETSERVICE_PROVIDER);
    }

    @Override
    protected Option[] extra() {
        return new Option[] {SecretServiceSwapIT.busFixture()};
    }

    private SecretServiceDaemon serve(Path dir) throws Exception {
        requirePeer(SecretServiceDaemon.installed() && Files.isExecutable(Path.of(SECRET_TOOL))
                && run(Map.of(), null, PYTHON, "-c", "import keyring.testing.backend, secretstorage").exit == 0,
                SecretServiceDaemon.PACKAGES + ", secret-tool, Python's keyring with pytest and secretstorage (apt-get"
                        + " install libsecret-tools python3-keyring python3-pytest python3-secretstorage)");
        swaps.plaintextIn(dir);
        await("plaintext in the chain", () -> backendNames().contains("plaintext"));
        admin.use("plaintext"); // the cryptfile keyring beside it stays locked
        SecretServiceDaemon bus = SecretServiceDaemon.startBus(dir.resolve("bus"));
        org.osgi.service.cm.Configuration configuration =
                configurationAdmin.getConfiguration("org.coffer.secretservice.provider", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("bus.address", bus.address());
        configuration.update(properties);
        await("Coffer owns org.freedesktop.secrets", () -> {
            try {
                return bus.secretServiceOwned();
            } catch (IOException e) {
                return false;
            }
        });
        return bus;
    }

    private void stopServing(SecretServiceDaemon bus) throws IOException, org.osgi.framework.InvalidSyntaxException {
        configurationAdmin.getConfiguration("org.coffer.secretservice.provider", "?").delete();
        bus.close();
        admin.useAutomatic();
    }

    @Test
    public void pythonsKeyringBackendSuitePassesWholeAgainstCoffer() throws Exception {
        Path dir = workDir("secretservice-provider-python");
        SecretServiceDaemon bus = serve(dir);
        try {
            Path suite = Files.writeString(dir.resolve("test_coffer_secret_service.py"), SUITE);
            Result result = run(bus.environment(), null, PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    suite.toString());
            assertEquals(result.stdout + result.stderr, 0, result.exit);
            assertTrue(result.stdout, result.stdout.matches("(?s).*\\b1[0-9] passed\\b.*"));
            assertFalse(result.stdout, result.stdout.contains("skipped"));
            System.out.println("Python keyring's backend suite on Coffer's Secret Service: "
                    + result.stdout.strip().lines().reduce((first, last) -> last).orElse(""));

            // the same entries through Coffer's own API, both ways
            run(bus.environment(), null, PYTHON, "-c",
                    "import keyring; keyring.set_password('from python', 'ann', 'p\u00e4ss')");
            try (Secret secret = provider.get("from python", "ann").orElseThrow()) {
                assertEquals("p\u00e4ss", secret.reveal());
            }
            provider.set("from coffer", "bob", Secret.of("s3cret"));
            Result read = run(bus.environment(), null, PYTHON, "-c",
                    "import keyring; print(keyring.get_password('from coffer', 'bob'))");
            assertEquals(read.stderr, "s3cret\n", read.stdout);
            assertTrue(admin.audit(0).toString(), admin.audit(0).stream().anyMatch(event ->
                    event.bundle().startsWith("org.coffer.secretservice.provider for /usr/bin/python3")
                    && event.bundle().contains(" -c import keyring; print(keyring.get_pa")
                    && event.target().equals("from coffer/bob")));
            // Python opens a session at every call and never closes it: it goes when its client leaves the bus
            await("the sessions of the clients that left are closed", () -> !run(bus.environment(), null,
                    SecretServiceDaemon.DBUS_SEND, "--print-reply", "--dest=org.freedesktop.secrets",
                    "/org/freedesktop/secrets", "org.freedesktop.DBus.Introspectable.Introspect").stdout
                    .contains("node name=\"session\""));
        } finally {
            stopServing(bus);
        }
    }

    @Test
    public void secretToolStoresLooksUpSearchesAndClearsCoffersEntries() throws Exception {
        Path dir = workDir("secretservice-provider-secret-tool");
        SecretServiceDaemon bus = serve(dir);
        try {
            Map<String, String> env = bus.environment();
            Result stored = run(env, "tool s3cret", SECRET_TOOL, "store", "--label=a label", "service", "svc",
                    "username", "alice");
            assertEquals(stored.stderr, 0, stored.exit);
            try (Secret secret = provider.get("svc", "alice").orElseThrow()) {
                assertEquals("tool s3cret", secret.reveal());
            }
            provider.set("svc", "bob", Secret.of("bob's"));
            assertEquals("bob's", run(env, null, SECRET_TOOL, "lookup", "service", "svc", "username", "bob").stdout);
            assertTrue(admin.audit(0).toString(), admin.audit(0).stream().anyMatch(event -> event.bundle()
                    .startsWith("org.coffer.secretservice.provider for /usr/bin/secret-tool (pid ")
                    && event.action().equals("READ") && event.target().equals("svc/bob")));

            Result search = run(env, null, SECRET_TOOL, "search", "--all", "service", "svc");
            String found = search.stdout + search.stderr;
            assertTrue(found, found.contains("attribute.username = alice") && found.contains("secret = tool s3cret"));
            assertTrue(found, found.contains("attribute.username = bob") && found.contains("secret = bob's"));

            assertEquals(0, run(env, null, SECRET_TOOL, "clear", "service", "svc", "username", "alice").exit);
            assertEquals(Optional.empty(), provider.get("svc", "alice").map(s -> "still there"));

            // an item of other attributes is kept whole: secret, attributes and label
            Result other = run(env, "web s3cret", SECRET_TOOL, "store", "--label=Example site", "host", "example.com",
                    "protocol", "https");
            assertEquals(other.stderr, 0, other.exit);
            assertEquals("web s3cret", run(env, null, SECRET_TOOL, "lookup", "host", "example.com").stdout);
            String web = run(env, null, SECRET_TOOL, "search", "--all", "protocol", "https").stdout
                    + run(env, null, SECRET_TOOL, "search", "--all", "protocol", "https").stderr;
            assertTrue(web, web.contains("label = Example site") && web.contains("attribute.host = example.com"));
            List<org.coffer.KeyringEntry> kept = admin.entries("plaintext").stream()
                    .filter(e -> e.service().equals("org.freedesktop.Secret.Item")).collect(java.util.stream.Collectors.toList());
            assertEquals("one entry, under the service of such items", 1, kept.size());
            try (Secret secret = provider.get(kept.get(0).service(), kept.get(0).username()).orElseThrow()) {
                assertEquals("keyring:get sees it", "web s3cret", secret.reveal());
            }
            // a binary secret, through Python's secretstorage, comes back byte for byte
            Result binary = run(env, null, PYTHON, "-c", String.join("\n",
                    "import secretstorage",
                    "bus = secretstorage.dbus_init()",
                    "c = secretstorage.get_default_collection(bus)",
                    "c.create_item('blob', {'kind': 'blob'}, bytes(range(256)), content_type='application/octet-stream')",
                    "item = next(c.search_items({'kind': 'blob'}))",
                    "assert item.get_secret() == bytes(range(256)), item.get_secret()",
                    "assert item.get_secret_content_type() == 'application/octet-stream'",
                    "print(item.get_label())"));
            assertEquals(binary.stderr, "blob\n", binary.stdout);
            assertEquals(0, run(env, null, SECRET_TOOL, "clear", "host", "example.com").exit);
            assertEquals("its secret and its properties are gone", List.of(), admin.entries("plaintext").stream()
                    .filter(e -> e.username().equals(kept.get(0).username())).collect(java.util.stream.Collectors.toList()));
        } finally {
            stopServing(bus);
        }
    }

    /**
     * dbus-monitor on the bus: Coffer's own changes raise the collection's signals, and the
     * secret travels encrypted to Python and libsecret, which both ask for the DH session.
     */
    @Test
    public void changesThroughCofferRaiseSignalsAndNoSecretCrossesTheBusInClear() throws Exception {
        requirePeer(Files.isExecutable(Path.of("/usr/bin/dbus-monitor")), "dbus-monitor (apt-get install dbus)");
        Path dir = workDir("secretservice-provider-monitor");
        SecretServiceDaemon bus = serve(dir);
        Path capture = dir.resolve("monitor.txt");
        Process monitor = new ProcessBuilder("/usr/bin/dbus-monitor", "--address", bus.address())
                .redirectErrorStream(true).redirectOutput(capture.toFile()).start();
        try {
            await("dbus-monitor watching", () -> read(capture).contains("NameLost"));
            provider.set("signals", "dave", Secret.of("canary-one"));
            await("ItemCreated", () -> read(capture).contains("member=ItemCreated"));
            provider.set("signals", "dave", Secret.of("canary-two"));
            await("ItemChanged", () -> read(capture).contains("member=ItemChanged"));
            assertEquals("canary-two\n", run(bus.environment(), null, PYTHON, "-c",
                    "import keyring; print(keyring.get_password('signals', 'dave'))").stdout);
            assertEquals("canary-two", run(bus.environment(), null, SECRET_TOOL, "lookup", "service", "signals",
                    "username", "dave").stdout);
            provider.delete("signals", "dave");
            await("ItemDeleted", () -> read(capture).contains("member=ItemDeleted"));
        } finally {
            monitor.destroy();
            monitor.waitFor();
            stopServing(bus);
        }
        String traffic = read(capture);
        assertTrue(traffic.contains("OpenSession") && traffic.contains("dh-ietf1024-sha256-aes128-cbc-pkcs7"));
        assertTrue(traffic.contains("object path \"/org/freedesktop/secrets/collection/default/i"));
        for (String canary : List.of("canary-one", "canary-two")) {
            StringBuilder hex = new StringBuilder();
            for (byte b : canary.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                hex.append(String.format("%02x ", b));
            }
            assertFalse(canary + " crossed the bus in clear", traffic.contains(canary)
                    || traffic.contains(hex.toString().strip()));
        }
    }

    /** The backend writes go to swapped again and again under a Python loop that reads over the bus. */
    @Test
    public void aHotSwapUnderTheBusFailsNoRead() throws Exception {
        Path dir = workDir("secretservice-provider-swap");
        SecretServiceDaemon bus = serve(dir);
        swaps.cryptfileIn(dir);
        admin.unlock("cryptfile", Secret.of("cryptfile password"));
        admin.useAutomatic();
        swaps.sameValueIn("cryptfile", "plaintext", "swap", "erin", "same value");
        admin.use("plaintext");
        String loop = String.join("\n",
                "import keyring, time",
                "end, reads, failed = time.time() + 4, 0, []",
                "while time.time() < end or reads < 50:",
                "    try:",
                "        value = keyring.get_password('swap', 'erin')",
                "        if value != 'same value': failed.append(repr(value))",
                "    except Exception as e:",
                "        failed.append(repr(e))",
                "    reads += 1",
                "print(reads, len(failed), failed[:3])",
                "");
        ProcessBuilder builder = new ProcessBuilder(PYTHON, "-c", loop);
        builder.environment().putAll(bus.environment());
        Path out = dir.resolve("reads.txt");
        Process python = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        int swapped = 0;
        try {
            while (python.isAlive()) {
                admin.use(swapped % 2 == 0 ? "cryptfile" : "plaintext");
                swapped++;
            }
            assertEquals(read(out), 0, python.waitFor());
        } finally {
            stopServing(bus);
        }
        String[] result = read(out).strip().split(" ", 3);
        System.out.println("Python over the bus during " + swapped + " swaps: " + read(out).strip());
        assertTrue(read(out), Integer.parseInt(result[0]) >= 50 && swapped > 10);
        assertEquals(read(out), "0", result[1]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** Even allowed by name (java) and ranked first, the secretservice backend never reads the chain through it. */
    @Test
    public void coffersOwnSecretServiceBackendStaysOutOfTheChain() throws Exception {
        Path dir = workDir("secretservice-provider-loop");
        SecretServiceDaemon bus = serve(dir);
        try {
            org.osgi.service.cm.Configuration backend =
                    configurationAdmin.getConfiguration("org.coffer.backend.secretservice", "?");
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("bus.address", bus.address());
            properties.put("allowed.executables", new String[] {"java"});
            backend.update(properties);
            await("the backend says why it stays out", () -> admin.allBackends().stream()
                    .anyMatch(b -> b.name().equals("secretservice") && b.reason().contains("Coffer's own Secret Service")));
            assertFalse(backendNames().contains("secretservice"));
            backend.delete();
        } finally {
            stopServing(bus);
        }
    }

    private static Result run(Map<String, String> env, String stdin, String... command) {
        return Processes.run(List.of(command), env, stdin);
    }
}
