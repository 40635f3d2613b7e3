package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.coffer.BackendException;
import org.coffer.BackendInfo;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.ops4j.pax.tinybundles.TinyBundles;

/**
 * The Secret Service backend beside cryptfile and plaintext in Felix, on a private bus
 * with gnome-keyring: it is active while the daemon runs, the provider swaps to
 * cryptfile when the daemon dies and back when it returns.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class SecretServiceSwapIT extends CofferSupport {

    static final String PASSWORD = "gnome keyring password";

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.SECRETSERVICE);
    }

    @Override
    protected Option[] extra() {
        return new Option[] {busFixture()};
    }

    /**
     * @return the private bus fixture, and the test kit's {@code Processes} to run its
     *         clients, as a bundle of their own, for the tests running inside the framework
     */
    static Option busFixture() {
        return streamBundle(TinyBundles.bundle()
                .setHeader("Bundle-ManifestVersion", "2")
                .setHeader("Bundle-SymbolicName", "org.coffer.backend.secretservice.fixture")
                .setHeader("Export-Package", SecretServiceDaemon.class.getPackageName() + ","
                        + org.coffer.test.Processes.class.getPackageName())
                .addClass(SecretServiceDaemon.class)
                .addClass(org.coffer.test.Processes.class)
                .addClass(org.coffer.test.Processes.Result.class)
                .build(TinyBundles.rawBuilder()));
    }

    private void configure(String pid, String key, Object value) throws IOException {
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(key, value);
        configuration.update(properties);
    }

    private String reasonOf(String name) {
        return admin.allBackends().stream().filter(b -> b.name().equals(name)).map(BackendInfo::reason)
                .findFirst().orElse("");
    }

    @Test
    public void secretServiceIsActiveAndSwapsLiveWithItsDaemon() throws Exception {
        requirePeer(SecretServiceDaemon.installed(), SecretServiceDaemon.PACKAGES);
        Path dir = workDir("secretservice");
        swaps.plaintextIn(dir);
        swaps.cryptfileIn(dir);
        admin.unlock("cryptfile", Secret.of("cryptfile password"));

        try (SecretServiceDaemon daemon = SecretServiceDaemon.start(dir.resolve("bus"), PASSWORD)) {
            configure("org.coffer.backend.secretservice", "bus.address", daemon.address());
            // the watcher and the backend take the new address each in their own time
            await("secretservice active on the test's bus", () -> admin.backends().stream().anyMatch(b -> b.active()
                    && b.name().equals("secretservice") && b.description().endsWith(daemon.address())));
            assertEquals(List.of("secretservice", "cryptfile", "plaintext"), backendNames());
            provider.set("svc", "alice", Secret.of("in gnome-keyring"));

            daemon.killKeyring();
            await("cryptfile active once gnome-keyring died", () -> "cryptfile".equals(activeName()));
            assertEquals(List.of("cryptfile", "plaintext"), backendNames());
            await("the reason in keyring:backends --all",
                    () -> reasonOf("secretservice").startsWith("No Secret Service on the D-Bus session bus "
                            + daemon.address() + ": nothing owns org.freedesktop.secrets"));
            // what no backend left answers is not "not found": the Secret Service, which may hold it, is away
            BackendException away = assertThrows(BackendException.class, () -> provider.get("svc", "nobody"));
            assertTrue(away.getMessage(), away.getMessage().contains("the keyring backend 'secretservice' is unavailable since"));
            assertTrue(away.getMessage(), away.getMessage().contains("No Secret Service on the D-Bus session bus"));
            provider.set("svc", "alice", Secret.of("in cryptfile"));
            assertEquals("in cryptfile", provider.get("svc", "alice").map(Secret::reveal).orElse(null));

            daemon.startKeyring(PASSWORD);
            await("secretservice active again", () -> "secretservice".equals(activeName()));
            assertEquals("in gnome-keyring", provider.get("svc", "alice").map(Secret::reveal).orElse(null));
            assertEquals(java.util.Optional.empty(), provider.get("svc", "nobody"));
        }
        // a dropped bus is noticed by the watcher's next look, after calls on the dead connection time out
        long deadline = System.currentTimeMillis() + 60_000;
        while (backendNames().contains("secretservice") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of("cryptfile", "plaintext"), backendNames());
    }
}
