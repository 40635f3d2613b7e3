package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coffer.AccessDeniedException;
import org.coffer.AppConfiguration;
import org.coffer.Secret;
import org.coffer.itests.fixture.ResilientSettings;
import org.coffer.spi.KeyringBackend;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An app.config with {@code ^} and {@code $} references served to an ordinary DS
 * component: the component receives the secrets, ConfigAdmin's store keeps only the
 * references.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class AppConfigIT extends CofferSupport {

    private static final String SECRET = "the-api-key-s3cr3t";
    private static final String LITERAL = "LiteralSecret123";

    static Path storeDir() {
        return Path.of(System.getProperty("coffer.work", "target/work")).toAbsolutePath().resolve("cm-store");
    }

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.APPCONFIG);
    }

    @Override
    protected Option[] extra() {
        return new Option[] {property("felix.cm.dir", storeDir().resolve(String.valueOf(System.nanoTime())).toString()),
            CoreOptions.bundle(new File(System.getProperty("coffer.fixture")).toURI().toString())};
    }

    private ResilientSettings settings() throws InterruptedException {
        ServiceTracker<ResilientSettings, ResilientSettings> tracker = new ServiceTracker<>(context, ResilientSettings.class, null);
        tracker.open();
        try {
            ResilientSettings settings = tracker.waitForService(15_000);
            assertTrue("the component got its configuration", settings != null);
            return settings;
        } finally {
            tracker.close();
        }
    }

    private Path serve(Path dir, String text) throws IOException {
        return serve(dir, text, false);
    }

    private Path serve(Path dir, String text, boolean strict) throws IOException {
        Path file = dir.resolve("app.config");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration("org.coffer.appconfig", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("file", file.toString());
        properties.put("poll.interval", 200L);
        properties.put("strict", strict);
        configuration.update(properties);
        return file;
    }

    @Test
    public void aComponentReceivesResolvedSecretsThatTheStoreNeverHolds() throws Exception {
        Path dir = workDir("appconfig");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        // as an administrator would: keyring:set in the shell, the value on standard input
        assertEquals(0, Shell.run(context, SECRET + "\n", "keyring:set _ resilient_secret").status);
        serve(dir, "[resilient]\nhost = example.com\napi_key_secret = ^resilient_secret\nurl = https://${HOME}/x\n"
                + "password = " + LITERAL + "\n");

        await("resolved delivery", () -> {
            try {
                return SECRET.equals(settings().apiKeySecret());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, () -> "the component has " + settingsOrNull() + ", the provider resolves to "
                + provider.resolve("keyring:_/resilient_secret").isPresent());
        ResilientSettings settings = settings();
        assertEquals("example.com", settings.host());
        assertEquals("https://" + System.getenv("HOME") + "/x", settings.url());
        await("the literal secret delivered", () -> LITERAL.equals(settingsPassword()), this::settingsPassword);

        Dictionary<String, Object> stored = configurationAdmin.getConfiguration("resilient", "?").getProperties();
        assertEquals("$[keyring:_/resilient_secret]", stored.get("api_key_secret"));
        assertEquals("https://$[env:HOME]/x", stored.get("url"));
        assertEquals("a literal secret stays in memory", "$[appconfig:password]", stored.get("password"));
        try (Stream<Path> files = Files.walk(storeDir())) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                assertFalse(f + " holds the secret", text.contains(SECRET));
                assertFalse(f + " holds the literal secret", text.contains(LITERAL));
            }
        }
        AppConfiguration appConfiguration = appConfiguration();
        assertEquals(dir.resolve("app.config"), appConfiguration.file().orElse(null));
    }

    @Test
    public void rereadsAnEditedFileAndKeepsTheLastGoodOneOnABrokenEdit() throws Exception {
        Path dir = workDir("appconfig-edit");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        Path file = serve(dir, "[resilient]\nhost = first.example.com\n");
        await("first", () -> host().equals("first.example.com"));
        Thread.sleep(50);
        Files.writeString(file, "[resilient]\nhost = second.example.com\n");
        await("edit picked up", () -> host().equals("second.example.com"));
        Files.writeString(file, "[resilient]\nhost = third.example.com\nthis line is broken\n");
        AppConfiguration appConfiguration = appConfiguration();
        await("error reported", () -> appConfiguration.lastError().isPresent());
        assertTrue(appConfiguration.lastError().get(), appConfiguration.lastError().get().contains("line 3"));
        assertEquals("second.example.com", host());
        Files.writeString(file, "[resilient]\nhost = fourth.example.com\n");
        // the component may see the fixed file a moment before the publisher clears its error
        await("fixed edit picked up, and its error cleared",
                () -> host().equals("fourth.example.com") && appConfiguration.lastError().isEmpty());
    }

    @Test
    public void deliversASecretSetAfterTheComponentStarted() throws Exception {
        Path dir = workDir("appconfig-late");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        serve(dir, "[resilient]\nhost = late.example.com\napi_key_secret = ^late_secret\n");
        await("delivered as written", () -> "^late_secret".equals(settingsOrNull()) || "$[keyring:_/late_secret]".equals(settingsOrNull()),
                this::settingsOrNull);
        provider.set("_", "late_secret", Secret.of("set later"));
        await("delivered again once it resolves", () -> "set later".equals(settingsOrNull()), () -> {
            try {
                return settingsOrNull() + " stored " + configurationAdmin.getConfiguration("resilient", "?").getProperties();
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    @Test
    public void strictModeRefusesAReferenceThatFindsNothing() throws Exception {
        Path dir = workDir("appconfig-strict");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        serve(dir, "[resilient]\nhost = strict.example.com\napi_key_secret = ^never_set\n", true);
        AppConfiguration appConfiguration = appConfiguration();
        await("strict error", () -> appConfiguration.lastError().isPresent(), () -> String.valueOf(appConfiguration.lastError()));
        assertTrue(appConfiguration.lastError().get(),
                appConfiguration.lastError().get().contains("line 3: [resilient] api_key_secret refers to keyring:_/never_set"));
        assertTrue(appConfiguration.lastError().get().contains("strict mode"));
        Dictionary<String, Object> stored = configurationAdmin.getConfiguration("resilient", "?").getProperties();
        assertTrue("nothing of the refused file is published: " + stored,
                stored == null || !"strict.example.com".equals(stored.get("host")));
        provider.set("_", "never_set", Secret.of("now set"));
        await("published once it resolves", () -> "now set".equals(settingsOrNull()), this::settingsOrNull);
    }

    @Test
    public void reportsAMissingFile() throws Exception {
        Path dir = workDir("appconfig-missing");
        Path file = serve(dir, "[resilient]\n");
        Files.delete(file);
        AppConfiguration appConfiguration = appConfiguration();
        await("missing file reported", () -> appConfiguration.lastError().map(e -> e.contains("does not exist")).orElse(false),
                () -> String.valueOf(appConfiguration.lastError()));
    }

    @Test
    public void aSectionNeverConfiguresCofferNorReplacesAConfigurationFromElsewhere() throws Exception {
        Path dir = workDir("appconfig-reserved");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        Dictionary<String, Object> admin = new Hashtable<>();
        admin.put("host", "admin.example.com");
        configurationAdmin.getConfiguration("com.example.admin", "?").update(admin);
        try {
            serve(dir, "[org.coffer.provider]\npinned.backend = plaintext\n[com.example.admin]\nhost = evil.example.com\n"
                    + "[resilient]\nhost = served.example.com\n");
            await("the application's section published", () -> host().equals("served.example.com"));
            Dictionary<String, Object> provider = configurationAdmin.getConfiguration("org.coffer.provider", "?").getProperties();
            assertTrue("Coffer's provider not reconfigured: " + provider,
                    provider == null || !"plaintext".equals(provider.get("pinned.backend")));
            assertEquals("admin.example.com", configurationAdmin.getConfiguration("com.example.admin", "?").getProperties().get("host"));
        } finally {
            // the store outlives this test's framework
            configurationAdmin.getConfiguration("com.example.admin", "?").delete();
        }
    }

    @Test
    public void sectionsPublishedByAnEarlierRunAndGoneFromTheFileAreWithdrawn() throws Exception {
        Path dir = workDir("appconfig-stale");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        Dictionary<String, Object> earlier = new Hashtable<>();
        earlier.put("coffer.appconfig.file", dir.resolve("app.config").toString());
        earlier.put("host", "gone.example.com");
        configurationAdmin.getConfiguration("gone.section", "?").update(earlier);
        serve(dir, "[resilient]\nhost = current.example.com\n");
        await("current section published", () -> host().equals("current.example.com"));
        await("stale section withdrawn", () -> {
            try {
                return configurationAdmin.listConfigurations("(service.pid=gone.section)") == null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    public void referencesResolveOnlyInAllowedConfigurationsAndNeverToAKeyringPassword() throws Exception {
        Path dir = workDir("appconfig-allowed");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        provider.set("_", "resilient_secret", Secret.of(SECRET));
        // a backend that keeps its own password in coffer/master-password, as an encrypted keyring may
        Dictionary<String, Object> ranked = new Hashtable<>();
        ranked.put(org.osgi.framework.Constants.SERVICE_RANKING, 10);
        org.osgi.framework.ServiceRegistration<KeyringBackend> vault = context.registerService(KeyringBackend.class,
                new PasswordKeepingBackend(), ranked);
        await("the vault backend listed", () -> backendNames().contains("vault"));
        provider.set("coffer", "master-password", Secret.of("the-master-password"));
        Dictionary<String, Object> written = new Hashtable<>();
        written.put("api_key_secret", "$[keyring:_/resilient_secret]");
        written.put("password", "$[keyring:coffer/master-password]");
        org.osgi.service.cm.Configuration resilient = configurationAdmin.getConfiguration("resilient", "?");
        try {
            resilient.update(written);
            await("delivered as written", () -> "$[keyring:_/resilient_secret]".equals(settingsOrNull()), this::settingsOrNull);

            writeAccessPolicy(Map.of("resolve.pids", "resil*"));
            await("resolved once the administrator allows the PID", () -> {
                try {
                    resilient.update(written);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return SECRET.equals(settingsOrNull());
            }, this::settingsOrNull);
            assertEquals("the master password is never resolved", "$[keyring:coffer/master-password]", settingsPassword());
            try {
                provider.resolve("keyring:coffer/master-password");
                fail("a declared entry resolved as a reference");
            } catch (AccessDeniedException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("'vault'") && !e.getMessage().contains("the-master"));
            }
        } finally {
            vault.unregister();
            // the store outlives this test's framework
            resilient.delete();
            removeAccessPolicy();
        }
    }

    /**
     * Any bundle can write a configuration that carries the publisher's marker property;
     * it is not app.config's for that, and its references stay as written.
     */
    @Test
    public void theAppConfigMarkerInAnotherConfigurationResolvesNothing() throws Exception {
        Path dir = workDir("appconfig-marker");
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
        provider.set("canarysvc", "canaryuser", Secret.of(SECRET));
        java.util.concurrent.BlockingQueue<String> delivered = new java.util.concurrent.LinkedBlockingQueue<>();
        Dictionary<String, Object> service = new Hashtable<>();
        service.put(org.osgi.framework.Constants.SERVICE_PID, "com.example.stranger");
        org.osgi.framework.ServiceRegistration<?> receiver = context.registerService(
                org.osgi.service.cm.ManagedService.class, properties -> {
                    if (properties != null) {
                        delivered.add(String.valueOf(properties.get("realm")));
                    }
                }, service);
        org.osgi.service.cm.Configuration stranger = configurationAdmin.getConfiguration("com.example.stranger", "?");
        try {
            Dictionary<String, Object> written = new Hashtable<>();
            written.put("coffer.appconfig.file", dir.resolve("app.config").toString());
            written.put("realm", "$[keyring:canarysvc/canaryuser]");
            stranger.update(written);
            String first = delivered.poll(15, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("delivered as written", "$[keyring:canarysvc/canaryuser]", first);
            // a redelivery round of the plugin passes (every 2 s) without resolving it either
            String again = delivered.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue("resolved later: " + again, again == null || again.equals(first));
        } finally {
            receiver.unregister();
            try {
                stranger.delete();
            } catch (IllegalStateException deletedAlready) {
                // the publisher withdraws a configuration carrying its marker that its file does not hold
            }
        }
    }

    private AppConfiguration appConfiguration() throws InterruptedException {
        ServiceTracker<AppConfiguration, AppConfiguration> tracker = new ServiceTracker<>(context, AppConfiguration.class, null);
        tracker.open();
        try {
            // a changed configuration re-creates the publisher: wait for the one serving the new file
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                AppConfiguration current = tracker.waitForService(1_000);
                Dictionary<String, Object> wanted;
                try {
                    wanted = configurationAdmin.getConfiguration("org.coffer.appconfig", "?").getProperties();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                if (current != null && wanted != null
                        && current.file().map(f -> f.toString().equals(wanted.get("file"))).orElse(false)) {
                    return current;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no app.config publisher for the configured file");
        } finally {
            tracker.close();
        }
    }

    private String settingsOrNull() {
        try {
            return settings().apiKeySecret();
        } catch (InterruptedException | AssertionError e) {
            return String.valueOf(e);
        }
    }

    private String settingsPassword() {
        try {
            return settings().password();
        } catch (InterruptedException | AssertionError e) {
            return String.valueOf(e);
        }
    }

    private String host() {
        try {
            return settings().host();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A backend that reads its own password from another backend's entry, and declares it. */
    private static final class PasswordKeepingBackend implements KeyringBackend {

        @Override
        public java.util.Set<org.coffer.KeyringEntry> protectedEntries() {
            return java.util.Set.of(new org.coffer.KeyringEntry("coffer", "master-password"));
        }

        @Override
        public String name() {
            return "vault";
        }

        @Override
        public java.util.Optional<Secret> get(String service, String username) {
            return java.util.Optional.empty();
        }

        @Override
        public void set(String service, String username, Secret secret) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean delete(String service, String username) {
            return false;
        }
    }
}
