package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.coffer.CredentialProvider;
import org.coffer.KeyringAdmin;
import org.coffer.NoKeyringException;
import org.coffer.Secret;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/** The provider with the plaintext backend in Felix: the calls an application makes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ProviderIT extends CofferSupport {

    @Test
    public void everyBundleResolvesAndStarts() {
        for (String bsn : List.of("org.coffer.api", "org.coffer.files", "org.coffer.keyringfile", "org.coffer.provider",
                "org.coffer.shell", PLAINTEXT_BSN, "org.apache.felix.scr")) {
            assertActive(installed(bsn));
        }
        assertEquals(List.of("plaintext"), backendNames());
        assertEquals("plaintext", admin.activeBackend().name());
    }

    @Test
    public void setsGetsAndDeletesThroughTheProvider() throws Exception {
        Path file = workDir("provider").resolve("keyring_pass.cfg");
        configurePlaintext(PLAINTEXT_PID, "plaintext", file, 50);
        provider.set("example.com", "alice", Secret.of("s3cr3t ü"));
        assertEquals("s3cr3t ü", provider.get("example.com", "alice").map(Secret::reveal).orElse(null));
        assertTrue(Files.readString(file).contains("[example_2Ecom]"));
        assertEquals("alice", provider.getCredential("example.com", null).map(c -> c.username()).orElse(null));
        assertEquals("s3cr3t ü", provider.resolve("keyring:example.com/alice").map(Secret::reveal).orElse(null));
        assertTrue(provider.delete("example.com", "alice"));
        assertFalse(provider.delete("example.com", "alice"));
        assertEquals(Optional.empty(), provider.get("example.com", "alice"));
    }

    @Test
    public void saysWhatToInstallWhenTheLastBackendStops() throws Exception {
        Bundle plaintext = installed(PLAINTEXT_BSN);
        plaintext.stop();
        try {
            provider.get("s", "u");
            fail("expected NoKeyringException");
        } catch (NoKeyringException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Install a backend bundle"));
        }
        plaintext.start();
        assertEquals(List.of("plaintext"), backendNames());
    }

    @Test
    public void takesARankingChangedThroughConfigAdmin() throws Exception {
        Path file = workDir("ranking").resolve("keyring_pass.cfg");
        configurePlaintext(PLAINTEXT_PID, "plaintext", file, 50);
        configurePlaintext(PLAINTEXT_PID, "plaintext", file, 700);
        assertEquals(700, admin.activeBackend().ranking());
    }

    @Test
    public void keepsThePinAcrossARestartOfTheProvider() throws Exception {
        admin.use("plaintext");
        Bundle providerBundle = installed("org.coffer.provider");
        providerBundle.stop();
        providerBundle.start();
        // the injected provider belonged to the stopped bundle: ask the framework for the new one
        ServiceTracker<KeyringAdmin, KeyringAdmin> tracker = new ServiceTracker<>(context, KeyringAdmin.class, null);
        tracker.open();
        try {
            KeyringAdmin restarted = tracker.waitForService(10_000);
            assertEquals("plaintext", restarted.diagnose().get(0).details().get("pinned backend"));
            assertEquals("plaintext", pinStored());
            restarted.useAutomatic();
            assertEquals("", pinStored());
        } finally {
            tracker.close();
        }
    }

    private Object pinStored() throws Exception {
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = context.getService(reference);
        try {
            Dictionary<String, Object> stored = admin.getConfiguration("org.coffer.provider", "?").getProperties();
            return stored.get("pinned.backend");
        } finally {
            context.ungetService(reference);
        }
    }

    @Test
    public void refusesAnUnknownBackendName() {
        try {
            admin.use("no-such-backend");
            fail("expected IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Known backends: plaintext"));
        }
    }

    @Test
    public void resolvesEnvironmentReferences() {
        String path = System.getenv("PATH");
        assertEquals(path, provider.resolve("env:PATH").map(Secret::reveal).orElse(null));
        assertEquals(Optional.empty(), provider.resolve("env:COFFER_SURELY_NOT_SET"));
    }
}
