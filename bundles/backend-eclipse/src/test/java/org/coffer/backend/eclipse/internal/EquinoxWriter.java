package org.coffer.backend.eclipse.internal;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.PBEKeySpec;
import org.coffer.test.Processes;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * The peer of the eclipse backend's tests: real Equinox with its Secure Storage bundles
 * (the folder {@code coffer.equinox.security}), in a process of its own, writes a
 * {@code secure_storage} file through {@code ISecurePreferences} with a master password
 * given as {@code -eclipse.password} gives it ({@code IProviderHints.DEFAULT_PASSWORD}).
 *
 * Given {@code -} as the password, the highest-priority password provider of its bundles
 * gives it.
 *
 * <pre>EquinoxWriter FILE PASSWORD NODE KEY VALUE ENCRYPT [NODE KEY VALUE ENCRYPT ...]</pre>
 */
public final class EquinoxWriter {

    private EquinoxWriter() {
    }

    /**
     * Runs this writer in a JVM of its own, on this JVM's class path.
     *
     * @param file the storage file to write (Equinox keeps what is there)
     * @param password the master password (ASCII: Java's PBE key factories refuse other characters)
     * @param values node, key, value, encrypt; as often as needed
     */
    public static void inProcessOfItsOwn(Path file, String password, String... values) {
        inProcessOfItsOwn(Path.of(codeOf(org.eclipse.osgi.launch.EquinoxFactory.class)),
                Path.of(System.getProperty("coffer.equinox.security")), Map.of(), file, password, values);
    }

    /**
     * Runs this writer in a JVM of its own, on a framework and bundles of the caller's choice
     * (an installation the p2 director made, say).
     *
     * @param framework the jar of {@code org.eclipse.osgi}
     * @param bundles the folder of the bundles to install and start (a jar of the framework there is skipped)
     * @param env more environment for that JVM
     * @param file the storage file to write (Equinox keeps what is there)
     * @param password the master password (ASCII), or {@code -} for none: the highest-priority password
     *        provider of the bundles gives it
     * @param values node, key, value, encrypt; as often as needed
     */
    public static void inProcessOfItsOwn(Path framework, Path bundles, Map<String, String> env, Path file,
            String password, String... values) {
        // only this class, the test kit it uses and Equinox: another framework on the caller's class path
        // (Felix) carries its own copy of the resolver Equinox embeds signed
        String classPath = String.join(File.pathSeparator, codeOf(EquinoxWriter.class), codeOf(Processes.class),
                framework.toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcoffer.equinox.security=" + bundles, "-cp", classPath, EquinoxWriter.class.getName(),
                file.toString(), password));
        command.addAll(List.of(values));
        Processes.Result written = Processes.run(command, env, null);
        if (written.exit != 0) {
            throw new AssertionError("Equinox did not write " + file + ": " + written.stdout + written.stderr);
        }
    }

    private static String codeOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path work = Files.createTempDirectory("equinox-writer");
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, work.resolve("cache").toString());
        properties.put("osgi.instance.area", work.resolve("instance").toUri().toString());
        properties.put("osgi.user.area", work.resolve("user").toUri().toString());
        properties.put("eclipse.consoleLog", "true");
        // Equinox by name: another framework (Felix) may be on the class path too
        Framework framework = new org.eclipse.osgi.launch.EquinoxFactory().newFramework(properties);
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (File jar : new File(System.getProperty("coffer.equinox.security")).listFiles()) {
                if (!jar.getName().startsWith("org.eclipse.osgi_")) {
                    bundles.add(context.installBundle(jar.toURI().toString()));
                }
            }
            for (Bundle bundle : bundles) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            Bundle security = bundles.stream().filter(b -> b.getSymbolicName().equals("org.eclipse.equinox.security"))
                    .findFirst().orElseThrow();
            write(security, file, args);
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
        }
    }

    private static void write(Bundle security, Path file, String[] args) throws Exception {
        Class<?> factory = security.loadClass("org.eclipse.equinox.security.storage.SecurePreferencesFactory");
        Map<Object, Object> options = new HashMap<>();
        if (!"-".equals(args[1])) {
            options.put("org.eclipse.equinox.security.storage.defaultPassword", new PBEKeySpec(args[1].toCharArray()));
        }
        options.put("org.eclipse.equinox.security.storage.promptUser", Boolean.FALSE);
        Object root = factory.getMethod("open", java.net.URL.class, Map.class).invoke(null, file.toUri().toURL(), options);
        Class<?> preferences = security.loadClass("org.eclipse.equinox.security.storage.ISecurePreferences");
        Method node = preferences.getMethod("node", String.class);
        Method put = preferences.getMethod("put", String.class, String.class, boolean.class);
        for (int i = 2; i + 3 < args.length; i += 4) {
            put.invoke(node.invoke(root, args[i]), args[i + 1], args[i + 2], Boolean.parseBoolean(args[i + 3]));
        }
        preferences.getMethod("flush").invoke(root);
    }
}
