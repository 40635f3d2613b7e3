package org.coffer.benchmarks;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.PBEKeySpec;
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

/**
 * {@code ISecurePreferences.get} of an encrypted value, as an Eclipse makes it: through
 * Coffer's password provider (the master password a Coffer entry, here of the plaintext
 * keyring on a file of the benchmark's own), beside the same through a password given
 * as {@code -eclipse.password} gives it. {@code firstOpen}: Secure Storage restarted (its
 * bundle stopped and started outside the measurement), then the storage opened and one
 * value read; {@code laterGet}: a value read from a storage already open.
 *
 * <p>Equinox and the bundles are the p2 director's installation that the build makes
 * ({@code p2/target/installation}, or {@code -Dcoffer.p2.installation=}), in a class
 * loader of their own: Felix, on this module's class path, would stand in Equinox's way.
 * Everything is reached by reflection for that reason.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EclipseStorageBenchmark {

    private static final String NODE = "/GIT/https:\\2f\\2fgithub.com:443";

    /** An Equinox with Secure Storage, Coffer's provider and a storage holding one value. */
    @State(Scope.Benchmark)
    public static class Eclipse {
        /** {@code coffer}: Coffer's provider gives the password; {@code password-file}: the option gives it. */
        @Param({"coffer", "password-file"})
        public String master;

        Path dir;
        Class<?> frameworkType;
        Class<?> bundleType;
        Object framework;
        Object security;
        Object storage;
        Map<Object, Object> options;
        Method open;
        Method node;
        Method get;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("coffer-bench-eclipse");
            Path plugins = Path.of(System.getProperty("coffer.p2.installation", "p2/target/installation"), "plugins");
            File[] jars = plugins.toFile().listFiles();
            if (jars == null) {
                throw new IllegalStateException("no p2 installation at " + plugins + ": build p2/ first");
            }
            File osgi = null;
            for (File jar : jars) {
                if (jar.getName().startsWith("org.eclipse.osgi_")) {
                    osgi = jar;
                }
            }
            ClassLoader loader = new URLClassLoader(new URL[] {osgi.toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Map<String, String> properties = new HashMap<>();
            properties.put("org.osgi.framework.storage", dir.resolve("cache").toString());
            properties.put("osgi.instance.area", dir.resolve("instance").toUri().toString());
            properties.put("osgi.user.area", dir.resolve("user").toUri().toString());
            properties.put("coffer.access.files", dir.resolve("org.coffer.access.cfg").toString());
            Object factory = loader.loadClass("org.eclipse.osgi.launch.EquinoxFactory").getConstructor().newInstance();
            frameworkType = loader.loadClass("org.osgi.framework.launch.Framework");
            bundleType = loader.loadClass("org.osgi.framework.Bundle");
            Class<?> contextType = loader.loadClass("org.osgi.framework.BundleContext");
            framework = loader.loadClass("org.osgi.framework.launch.FrameworkFactory").getMethod("newFramework", Map.class)
                    .invoke(factory, properties);
            frameworkType.getMethod("start").invoke(framework);
            Object context = bundleType.getMethod("getBundleContext").invoke(framework);
            Method install = contextType.getMethod("installBundle", String.class);
            Map<String, Object> bundles = new HashMap<>();
            for (File jar : jars) {
                if (jar != osgi) {
                    Object bundle = install.invoke(context, jar.toURI().toString());
                    bundles.put((String) bundleType.getMethod("getSymbolicName").invoke(bundle), bundle);
                }
            }
            for (Map.Entry<String, Object> bundle : bundles.entrySet()) {
                // the plaintext keyring alone: nothing goes to the user's kernel keyring or desktop
                if (!bundle.getKey().startsWith("org.coffer.backend.") || bundle.getKey().endsWith(".plaintext")) {
                    bundleType.getMethod("start").invoke(bundle.getValue());
                }
            }
            configurePlaintext(bundles.get("org.apache.felix.configadmin"), bundles.get("org.coffer.api"), context,
                    contextType);
            security = bundles.get("org.eclipse.equinox.security");
            Class<?> factoryType = (Class<?>) bundleType.getMethod("loadClass", String.class).invoke(security,
                    "org.eclipse.equinox.security.storage.SecurePreferencesFactory");
            Class<?> preferences = (Class<?>) bundleType.getMethod("loadClass", String.class).invoke(security,
                    "org.eclipse.equinox.security.storage.ISecurePreferences");
            open = factoryType.getMethod("open", URL.class, Map.class);
            node = preferences.getMethod("node", String.class);
            get = preferences.getMethod("get", String.class, String.class);
            options = new HashMap<>();
            options.put("org.eclipse.equinox.security.storage.promptUser", Boolean.FALSE);
            if ("password-file".equals(master)) {
                options.put("org.eclipse.equinox.security.storage.defaultPassword",
                        new PBEKeySpec("eclipse master password".toCharArray()));
            }
            Object root = open();
            preferences.getMethod("put", String.class, String.class, boolean.class).invoke(node.invoke(root, NODE),
                    "password", "s3cret", true);
            preferences.getMethod("flush").invoke(root);
            storage = open();
            if (!"s3cret".equals(read(storage))) {
                throw new IllegalStateException("the storage does not give the value back");
            }
        }

        /** Points the plaintext backend at a file of the benchmark's own; returns once Coffer lists it there. */
        private void configurePlaintext(Object configAdminBundle, Object apiBundle, Object context,
                Class<?> contextType) throws Exception {
            Class<?> adminType = type(configAdminBundle, "org.osgi.service.cm.ConfigurationAdmin");
            Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                    .invoke(service(context, contextType, adminType), "org.coffer.backend.plaintext", "?");
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("file", dir.resolve("keyring_pass.cfg").toString());
            type(configAdminBundle, "org.osgi.service.cm.Configuration").getMethod("update", java.util.Dictionary.class)
                    .invoke(configuration, properties);
            Class<?> keyringAdmin = type(apiBundle, "org.coffer.KeyringAdmin");
            Method description = type(apiBundle, "org.coffer.BackendInfo").getMethod("description");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                Object admin = service(context, contextType, keyringAdmin);
                if (admin != null) {
                    for (Object backend : (java.util.List<?>) keyringAdmin.getMethod("backends").invoke(admin)) {
                        if (((String) description.invoke(backend)).contains(dir.toString())) {
                            return;
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Coffer never listed the plaintext keyring at " + dir);
                }
                Thread.sleep(20); // a framework has no event for "the backend took its new file"
            }
        }

        private Class<?> type(Object bundle, String name) throws Exception {
            return (Class<?>) bundleType.getMethod("loadClass", String.class).invoke(bundle, name);
        }

        private static Object service(Object context, Class<?> contextType, Class<?> type) throws Exception {
            Object reference = contextType.getMethod("getServiceReference", String.class).invoke(context, type.getName());
            if (reference == null) {
                return null;
            }
            return contextType.getMethod("getService", contextType.getClassLoader()
                    .loadClass("org.osgi.framework.ServiceReference")).invoke(context, reference);
        }

        Object open() throws Exception {
            return open.invoke(null, dir.resolve("secure_storage").toUri().toURL(), options);
        }

        String read(Object root) throws Exception {
            return (String) get.invoke(node.invoke(root, NODE), "password", null);
        }

        /** Secure Storage restarted: it saves and forgets its storages and the passwords it cached. */
        void restart() throws Exception {
            bundleType.getMethod("stop").invoke(security);
            bundleType.getMethod("start").invoke(security);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            frameworkType.getMethod("stop").invoke(framework);
            frameworkType.getMethod("waitForStop", long.class).invoke(framework, 30_000L);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Secure Storage restarted before each open, outside the measurement. */
    @State(Scope.Thread)
    public static class Restarted {
        @Setup(Level.Invocation)
        public void restart(Eclipse eclipse) throws Exception {
            eclipse.restart();
        }
    }

    @Benchmark
    public String firstOpen(Eclipse eclipse, Restarted restarted) throws Exception {
        return eclipse.read(eclipse.open());
    }

    @Benchmark
    public String laterGet(Eclipse eclipse) throws Exception {
        return eclipse.read(eclipse.storage);
    }
}
