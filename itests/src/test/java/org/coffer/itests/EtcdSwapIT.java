package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.coffer.IntegrityException;
import org.coffer.Secret;
import org.coffer.backend.etcd.fixture.EtcdCluster;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.ops4j.pax.tinybundles.TinyBundle;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;

/**
 * The etcd backend above cryptfile and plaintext, on a real etcd member with TLS client
 * certificates and etcd's own auth: its key-encryption key and its etcd password are
 * entries of the local cryptfile keyring. Readers never fail while its bundle stops and
 * starts, {@code migrate} moves cryptfile's entries into etcd, and etcd holds no name or
 * value in clear text.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class EtcdSwapIT extends CofferSupport {

    private static final String PID = "org.coffer.backend.etcd";
    private static final int READERS = 2;
    private static final int SWAPS = 10;

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.CRYPTFILE, Part.ETCD);
    }

    /** The cluster fixture as a bundle of its own: every class of its package, read from where the test found it. */
    @Override
    protected Option[] extra() {
        TinyBundle fixture = TinyBundles.bundle()
                .setHeader("Bundle-ManifestVersion", "2")
                .setHeader("Bundle-SymbolicName", "org.coffer.backend.etcd.fixture")
                .setHeader("Export-Package", EtcdCluster.class.getPackageName())
                // the JDK packages beyond java.*, which the system bundle exports
                .setHeader("DynamicImport-Package", "javax.*");
        String folder = EtcdCluster.class.getPackageName().replace('.', '/') + "/";
        try {
            Path location = Path.of(EtcdCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> classes = new ArrayList<>();
            if (Files.isDirectory(location)) {
                try (var files = Files.list(location.resolve(folder))) {
                    files.forEach(file -> classes.add(folder + file.getFileName()));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().map(JarEntry::getName)
                            .filter(name -> name.startsWith(folder) && name.endsWith(".class")).forEach(classes::add);
                }
            }
            for (String name : classes) {
                fixture.addResource(name, EtcdCluster.class.getClassLoader().getResource(name));
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot read the etcd fixture's classes: " + e, e);
        }
        return new Option[] {streamBundle(fixture.build(TinyBundles.rawBuilder()))};
    }

    /**
     * One bit of an etcd value's tag flipped by a writer of etcd, while cryptfile below
     * holds an older copy: the read fails naming the entry, and never answers the copy.
     */
    private void aFlippedTagEndsTheReadAndNeverFallsToTheLowerCopy(EtcdCluster cluster) {
        String service = "etcd tampered " + System.nanoTime();
        Set<String> before = new HashSet<>(cluster.getPrefix("/fleet/v1/").keySet());
        provider.set(service, "bob", Secret.of("the etcd value"));
        Set<String> added = new HashSet<>(cluster.getPrefix("/fleet/v1/").keySet());
        added.removeAll(before);
        assertEquals(1, added.size());
        admin.use("cryptfile");
        provider.set(service, "bob", Secret.of("canary-stale-Lq90"));
        admin.useAutomatic();
        String key = added.iterator().next();
        byte[] stored = cluster.getPrefix(key).get(key);
        stored[stored.length - 1] ^= 1;
        cluster.put(key, stored);
        AtomicReference<IntegrityException> refused = new AtomicReference<>();
        await("the read of the tampered value refused", () -> {
            try {
                String read = provider.get(service, "bob").map(Secret::reveal).orElse(null);
                assertEquals("before the watch delivers the change, etcd's own value", "the etcd value", read);
                return false;
            } catch (IntegrityException e) {
                refused.set(e);
                return true;
            }
        });
        String message = refused.get().getMessage();
        assertTrue(message, message.contains("etcd") && message.contains("'bob' of '" + service + "'")
                && message.contains("fails authentication"));
        assertFalse(message, message.contains("Lq90") || message.contains("the etcd value"));
        assertTrue(provider.delete(service, "bob"));
        assertEquals("canary-stale-Lq90", provider.get(service, "bob").map(Secret::reveal).orElse(null));
        admin.use("cryptfile");
        assertTrue(provider.delete(service, "bob"));
        admin.useAutomatic();
    }

    @Test
    public void readersNeverFailWhileEtcdComesAndGoesAndMigrateFillsIt() throws Exception {
        requirePeer(EtcdCluster.installed(), EtcdCluster.PACKAGES);
        Path dir = workDir("etcd");
        swaps.plaintextIn(dir);
        swaps.cryptfileIn(dir);
        admin.unlock("cryptfile", Secret.of("cryptfile password"));
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        provider.set("coffer etcd kek", "fleet", Secret.of(Base64.getEncoder().encodeToString(kek)));
        provider.set("coffer etcd", "coffer", Secret.of("etcd user password"));
        provider.set("local only", "carol", Secret.of("canary-migrated-Vb73"));

        try (EtcdCluster cluster = EtcdCluster.startSecured(dir.resolve("cluster"), "root password")) {
            cluster.addUser("coffer", "etcd user password", "/fleet/");
            org.osgi.service.cm.Configuration etcd = configurationAdmin.getConfiguration(PID, "?");
            Dictionary<String, Object> settings = new Hashtable<>();
            settings.put("endpoints", cluster.endpointsJoined());
            settings.put("prefix", "/fleet");
            settings.put("kek.service", "coffer etcd kek");
            settings.put("kek.username", "fleet");
            settings.put("user", "coffer");
            settings.put("password.service", "coffer etcd");
            settings.put("password.username", "coffer");
            settings.put("tls.ca", cluster.caFile().toString());
            settings.put("tls.cert", cluster.clientCert().toString());
            settings.put("tls.key", cluster.clientKey().toString());
            settings.put("timeout", "5");
            etcd.update(settings);
            await("etcd on top, its copy loaded", () -> backendNames().equals(List.of("etcd", "cryptfile", "plaintext"))
                    && admin.diagnose().toString().contains("copy at revision"), () -> admin.diagnose().toString());

            String service = "etcd swap " + System.nanoTime();
            swaps.sameValueIn("etcd", "cryptfile", service, "alice", "same value");
            aFlippedTagEndsTheReadAndNeverFallsToTheLowerCopy(cluster);

            swaps.swapWhileReading(installed("org.coffer.backend.etcd"), SWAPS, READERS, service, "alice",
                    "same value", () -> { });
            await("etcd back on top, its copy loaded", () -> "etcd".equals(activeName())
                    && admin.diagnose().toString().contains("copy at revision"), () -> admin.diagnose().toString());

            admin.migrate("cryptfile", "etcd", false);
            admin.use("etcd");
            assertEquals("canary-migrated-Vb73", provider.get("local only", "carol").map(Secret::reveal).orElse(null));
            assertEquals("same value", provider.get(service, "alice").map(Secret::reveal).orElse(null));
            for (Map.Entry<String, byte[]> kv : cluster.getPrefix("/fleet/").entrySet()) {
                String stored = kv.getKey() + new String(kv.getValue(), StandardCharsets.ISO_8859_1);
                for (String clear : List.of("canary", "Vb73", "carol", "local only", "same value", "alice", "fleet kek")) {
                    assertFalse(kv.getKey() + " holds " + clear, stored.contains(clear));
                }
            }
            // etcd:rotate, as the shell calls it: every value sealed again under a new data key
            org.osgi.framework.ServiceReference<?>[] commands = context.getServiceReferences((String) null,
                    "(&(osgi.command.scope=etcd)(osgi.command.function=rotate))");
            assertEquals(1, commands.length);
            Object rotate = context.getService(commands[0]);
            String rotated = (String) rotate.getClass().getMethod("rotate").invoke(rotate);
            context.ungetService(commands[0]);
            assertTrue(rotated, rotated.startsWith("Sealed ") && rotated.contains(" values of etcd again"));
            assertEquals("canary-migrated-Vb73", provider.get("local only", "carol").map(Secret::reveal).orElse(null));
            assertTrue(provider.delete(service, "alice"));
            // etcd keeps every revision until it compacts: none, deleted or rotated, shows a name or a value
            for (long revision = 1; revision <= cluster.revision(); revision++) {
                for (Map.Entry<String, byte[]> kv : cluster.getPrefix("/fleet/", revision).entrySet()) {
                    String stored = kv.getKey() + new String(kv.getValue(), StandardCharsets.ISO_8859_1);
                    for (String clear : List.of("canary", "Vb73", "carol", "local only", "same value", "alice")) {
                        assertFalse(kv.getKey() + " at revision " + revision + " holds " + clear, stored.contains(clear));
                    }
                }
            }
            admin.useAutomatic();
            etcd.delete();
        }
    }
}
