package org.coffer.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.coffer.CredentialProvider;
import org.coffer.Secret;
import org.coffer.backend.plaintext.internal.PlaintextBackend;
import org.coffer.spi.KeyringBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A secret read as an application bundle makes it: a bundle of its own, in a running Felix
 * framework with the provider bundle, gets {@code CredentialProvider} from its context
 * and reads. The read passes through the bundle's view (the access policy, here from a
 * policy file, and the audit) before the chain and the plaintext backend of
 * {@link ProviderBenchmark}, which reads from the provider directly.
 *
 * <p>The API packages come from the class path through the system bundle, so the
 * benchmark and the bundles share them; the provider and its runtime are the built
 * bundles in {@code benchmarks/target/osgi-bundles}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BundleReadBenchmark {

    private static final String READER = "org.example.reader";

    /** A framework with the provider, a plaintext keyring of 100 secrets and a reader bundle. */
    @State(Scope.Benchmark)
    public static class Installed {
        /** {@code enforce}: the reader has a read rule; {@code open}: no rule is needed. */
        @Param({"enforce", "open"})
        public String policy;

        Path dir;
        Framework framework;
        CredentialProvider provider;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("coffer-bench-bundle");
            Path bundles = bundleFolder();
            Path policyFile = dir.resolve("org.coffer.access.cfg");
            Files.writeString(policyFile, "policy = " + policy + "\n"
                    + "read." + READER + " = service-*/user\n"
                    + "backends = org.apache.felix.framework\n");
            Files.setPosixFilePermissions(policyFile, PosixFilePermissions.fromString("rw-------"));

            Map<String, String> properties = new HashMap<>();
            properties.put(Constants.FRAMEWORK_STORAGE, dir.resolve("storage").toString());
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, exports(bundles.resolve("org.coffer.api.jar")));
            properties.put("coffer.access.files", policyFile.toString());
            framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(properties);
            framework.start();
            BundleContext system = framework.getBundleContext();
            for (String name : List.of("org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
                    "org.apache.felix.log", "org.apache.felix.eventadmin", "org.apache.felix.configadmin",
                    "org.apache.felix.scr", "org.coffer.provider")) {
                system.installBundle(bundles.resolve(name + ".jar").toUri().toString());
            }
            for (Bundle bundle : system.getBundles()) {
                bundle.start();
            }

            PlaintextBackend plaintext = new PlaintextBackend(dir.resolve("keyring_pass.cfg"));
            for (int i = 0; i < 100; i++) {
                plaintext.set("service-" + i, "user", Secret.of("secret-" + i));
            }
            system.registerService(KeyringBackend.class, plaintext, new Hashtable<>(Map.of("service.ranking", 50)));

            Bundle reader = system.installBundle(readerBundle().toUri().toString());
            reader.start();
            ServiceTracker<CredentialProvider, CredentialProvider> tracker =
                    new ServiceTracker<>(reader.getBundleContext(), CredentialProvider.class, null);
            tracker.open();
            provider = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
            if (provider == null) {
                throw new IllegalStateException("The provider bundle published no CredentialProvider in 30 s");
            }
            if (!provider.get("service-42", "user").map(s -> s.reveal().equals("secret-42")).orElse(false)) {
                throw new IllegalStateException("The reader bundle did not read service-42/user through the provider");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        private static Path bundleFolder() {
            for (String candidate : List.of("benchmarks/target/osgi-bundles", "target/osgi-bundles")) {
                Path folder = Path.of(System.getProperty("coffer.bench.bundles", candidate));
                if (Files.isRegularFile(folder.resolve("org.coffer.provider.jar"))) {
                    return folder;
                }
            }
            throw new IllegalStateException("No built bundles in benchmarks/target/osgi-bundles: run `mvn package`"
                    + " in benchmarks first, or set -Dcoffer.bench.bundles");
        }

        /** The API bundle's exports, so that the system bundle offers the same packages from the class path. */
        private static String exports(Path apiBundle) throws IOException {
            try (JarFile jar = new JarFile(apiBundle.toFile())) {
                return jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            }
        }

        /** A bundle with nothing but a name and its import of the API. */
        private Path readerBundle() throws IOException {
            Manifest manifest = new Manifest();
            Attributes main = manifest.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
            main.putValue(Constants.BUNDLE_SYMBOLICNAME, READER);
            main.putValue(Constants.IMPORT_PACKAGE, "org.coffer");
            Path jar = dir.resolve("reader.jar");
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
                return jar;
            }
        }
    }

    @Benchmark
    public Optional<Secret> bundleGet(Installed installed) {
        return installed.provider.get("service-42", "user");
    }
}
