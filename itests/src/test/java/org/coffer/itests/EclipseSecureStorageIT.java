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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coffer.Secret;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;
import org.eclipse.equinox.security.storage.provider.IProviderHints;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Equinox with Eclipse's security stack (the bundles an Eclipse has for
 * {@code ISecurePreferences}) and Coffer's password provider: a storage's master
 * password is a Coffer entry. In Equinox, and in Karaf on Equinox with the feature
 * {@code coffer-eclipse-provider}; the stack does not resolve on Felix.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EclipseSecureStorageIT extends CofferSupport {

    private static final String MODULE = "org.coffer.eclipse.provider";
    private static final String EGIT_NODE = "/GIT/https:\\2f\\2fgithub.com:443";

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.CRYPTFILE, Part.KEYCTL, Part.ECLIPSE);
    }

    @Override
    protected Option[] extra() {
        if (Containers.karaf()) {
            // Karaf on Equinox; the feature brings the security stack
            return new Option[] {property("karaf.framework", "equinox")};
        }
        List<Option> options = new ArrayList<>();
        for (File jar : new File(System.getProperty("coffer.equinox.security")).listFiles()) {
            options.add(CoreOptions.bundle(jar.toURI().toString()));
        }
        return options.toArray(new Option[0]);
    }

    @Test
    public void theMasterPasswordIsACofferEntryThatOutlivesARestartAndASwapOfKeyrings() throws Exception {
        assertEquals("the framework is Equinox", "org.eclipse.osgi", context.getBundle(0).getSymbolicName());
        Path dir = workDir("eclipse");
        swaps.plaintextIn(dir);
        swaps.cryptfileIn(dir);
        admin.unlock("cryptfile", Secret.of("master password"));
        Path file = dir.resolve("secure_storage");

        ISecurePreferences storage = open(file);
        storage.node(EGIT_NODE).put("user", "alice", false);
        storage.node(EGIT_NODE).put("password", "egit s3cret", true);
        storage.flush();
        assertEquals("egit s3cret", storage.node(EGIT_NODE).get("password", null));

        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertTrue(text, text.contains("password=" + MODULE + "\\t"));
        String entry = file.toFile().getCanonicalPath();
        String master;
        try (Secret secret = provider.get("eclipse secure storage", entry).orElseThrow()) {
            master = secret.reveal();
        }
        assertEquals("64 random bytes in base64", 88, master.length());
        assertFalse("the master password is in no file in clear", anyFileUnder(dir, master));
        try {
            // the username's slashes percent-encoded, as a reference carries them
            provider.resolve("keyring:eclipse secure storage/" + entry.replace("%", "%25").replace("/", "%2F"));
            fail("a master password must never resolve as a reference");
        } catch (org.coffer.AccessDeniedException e) {
            assertFalse(e.getMessage(), e.getMessage().contains(master));
        }

        // Secure Storage restarted: its open storages and cached passwords are gone
        restartSecureStorage();
        assertEquals("egit s3cret", open(file).node(EGIT_NODE).get("password", null));

        // a change of password whose storage was not saved after it: the password it replaced is offered once
        provider.set("eclipse secure storage", entry + " (previous)", Secret.of(master));
        provider.set("eclipse secure storage", entry, Secret.of("a password this storage never had"));
        restartSecureStorage();
        assertEquals("egit s3cret", open(file).node(EGIT_NODE).get("password", null));
        provider.set("eclipse secure storage", entry, Secret.of(master));

        // the keyring that holds the master password swapped: the storage still opens
        admin.migrate("cryptfile", "keyctl", true);
        installed("org.coffer.backend.cryptfile").stop();
        await("cryptfile gone", () -> !backendNames().contains("cryptfile"));
        restartSecureStorage();
        assertEquals("egit s3cret", open(file).node(EGIT_NODE).get("password", null));
        admin.delete("keyctl", "eclipse secure storage", entry);
        admin.delete("keyctl", "eclipse secure storage", entry + " (previous)");
        installed("org.coffer.backend.cryptfile").start();
    }

    @Test
    public void withCofferLockedAPutFailsWithCoffersReasonAndNothingIsStoredInClear() throws Exception {
        Path dir = workDir("eclipse-locked");
        swaps.plaintextIn(dir);
        swaps.cryptfileIn(dir);
        // locked, and no password variable, file or other keyring to unlock it
        admin.lock("cryptfile");
        assertEquals("cryptfile", activeName());
        Path file = dir.resolve("secure_storage");

        ISecurePreferences storage = open(file);
        try {
            storage.node(EGIT_NODE).put("password", "never in clear", true);
            fail("a put without a master password must fail");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Coffer could not store a new master password"));
            assertTrue(e.getMessage(), e.getMessage().contains("keyring:unlock"));
        } catch (StorageException e) {
            fail("Equinox turned Coffer's refusal into: " + e);
        }
        storage.flush();
        assertFalse("no value in clear", anyFileUnder(dir, "never in clear"));
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            assertFalse(text, text.contains("\t,"));
        }
    }

    /**
     * A storage written under another master password (here {@code -eclipse.password}'s, as Eclipse's own
     * providers write theirs) is taken over by {@code eclipse:takeover}, the old password piped in as
     * {@code secret-tool lookup} gives it; then Equinox opens it through Coffer's provider.
     */
    @Test
    public void aStorageOfAnotherPasswordIsTakenOverThenOpensThroughCoffer() throws Exception {
        Path dir = workDir("eclipse-takeover");
        swaps.plaintextIn(dir);
        swaps.cryptfileIn(dir);
        admin.unlock("cryptfile", Secret.of("master password"));
        Path file = dir.resolve("secure_storage");
        Map<Object, Object> options = new HashMap<>();
        options.put(IProviderHints.PROMPT_USER, Boolean.FALSE);
        options.put(IProviderHints.DEFAULT_PASSWORD, new javax.crypto.spec.PBEKeySpec("old password".toCharArray()));
        ISecurePreferences before = SecurePreferencesFactory.open(file.toUri().toURL(), options);
        before.node(EGIT_NODE).put("user", "alice", false);
        before.node(EGIT_NODE).put("password", "egit s3cret", true);
        before.flush();
        restartSecureStorage();

        Shell.Run run = Shell.run(context, "old password\n", "eclipse:takeover " + file);

        assertEquals(run.out + run.err, 0, run.status);
        assertTrue(run.out, run.out.contains("Took over 1 values of " + file.toFile().getCanonicalPath()));
        assertFalse(run.out + run.err, (run.out + run.err).contains("old password"));
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertTrue(text, text.contains("password=" + MODULE + "\\t"));
        restartSecureStorage();
        ISecurePreferences after = open(file);
        assertEquals("egit s3cret", after.node(EGIT_NODE).get("password", null));
        assertEquals("alice", after.node(EGIT_NODE).get("user", null));
        after.node(EGIT_NODE).put("password", "changed in Eclipse", true);
        after.flush();
        restartSecureStorage();
        assertEquals("changed in Eclipse", open(file).node(EGIT_NODE).get("password", null));
        provider.delete("eclipse secure storage", file.toFile().getCanonicalPath());
    }

    private static ISecurePreferences open(Path file) throws IOException {
        Map<Object, Object> options = new HashMap<>();
        options.put(IProviderHints.PROMPT_USER, Boolean.FALSE);
        return SecurePreferencesFactory.open(file.toUri().toURL(), options);
    }

    /** Stops and starts Equinox's security bundle and Coffer's: as a new Eclipse process meets the storage. */
    private void restartSecureStorage() throws BundleException {
        Bundle security = installed("org.eclipse.equinox.security");
        Bundle eclipse = installed("org.coffer.eclipse");
        security.stop();
        eclipse.stop();
        eclipse.start();
        security.start();
    }

    private static boolean anyFileUnder(Path dir, String text) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path each : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (new String(Files.readAllBytes(each), StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }
}
