package org.coffer.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The bundles of the install's folders in the framework: {@code bundle/} installed into
 * the cache at its start level (ConfigAdmin alone at the first), the bundles of
 * {@code deploy/} whose jar is gone dropped, and, once the framework runs, a wait until
 * FileInstall has started every jar of {@code deploy/} that can resolve.
 */
final class InstallBundles {

    static final String JLINE_SHELL = "org.apache.felix.gogo.jline";
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";

    private final Path install;
    private final long settleMillis;

    /**
     * @param install the install folder
     * @param settleMillis how long a wait for the bundles of deploy/ may last
     */
    InstallBundles(Path install, long settleMillis) {
        this.install = install;
        this.settleMillis = settleMillis;
    }

    /** Installs what the cache lacks of bundle/ and drops deploy/ bundles whose jar is gone. */
    void installBundles(BundleContext context) throws Exception {
        Set<String> present = new HashSet<>();
        String deploy = install.resolve("deploy").toUri().toString();
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation();
            present.add(location);
            if (location.startsWith(deploy) && !Files.exists(Path.of(URI.create(location)))) {
                bundle.uninstall();
            }
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(install.resolve("bundle"), "*.jar")) {
            for (Path jar : jars) {
                String location = "reference:" + jar.toUri();
                if (present.contains(location)) {
                    continue;
                }
                Bundle bundle = context.installBundle(location);
                boolean config = CONFIG_ADMIN.equals(bundle.getSymbolicName());
                bundle.adapt(BundleStartLevel.class).setStartLevel(config ? CofferFramework.CONFIG_LEVEL : CofferFramework.BUNDLE_LEVEL);
                if (!fragment(bundle) && !JLINE_SHELL.equals(bundle.getSymbolicName())) {
                    bundle.start();
                }
            }
        }
    }

    /**
     * Waits until FileInstall has installed every jar of deploy/ and started each that can
     * resolve, so a command sees every backend. A jar that cannot resolve is not waited
     * for: {@code keyring:backends --all} and the framework's log say what it lacks.
     */
    void awaitDeployedBundles(Framework framework) throws IOException, InterruptedException {
        Set<String> names = new HashSet<>();
        Path deploy = install.resolve("deploy");
        if (Files.isDirectory(deploy)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(deploy, "*.jar")) {
                jars.forEach(jar -> names.add("/" + jar.getFileName()));
            }
        }
        BundleContext context = framework.getBundleContext();
        Object changed = new Object();
        BundleListener listener = event -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        context.addBundleListener(listener);
        try {
            long deadline = System.currentTimeMillis() + settleMillis;
            synchronized (changed) {
                List<Bundle> deployed;
                while ((deployed = deployed(context, names)).size() < names.size()) {
                    if (!waitUntil(changed, deadline)) {
                        return;
                    }
                }
                framework.adapt(FrameworkWiring.class).resolveBundles(deployed);
                while (deployed.stream().anyMatch(b -> b.getState() == Bundle.RESOLVED && !fragment(b))) {
                    if (!waitUntil(changed, deadline)) {
                        return;
                    }
                }
            }
        } finally {
            context.removeBundleListener(listener);
        }
    }

    /** @return whether there is time left; waits for a change when there is */
    private static boolean waitUntil(Object changed, long deadline) throws InterruptedException {
        long left = deadline - System.currentTimeMillis();
        if (left > 0) {
            changed.wait(left);
        }
        return left > 0;
    }

    /** @return the installed bundles of these jar names */
    private static List<Bundle> deployed(BundleContext context, Set<String> jarNames) {
        List<Bundle> found = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (jarNames.stream().anyMatch(bundle.getLocation()::endsWith)) {
                found.add(bundle);
            }
        }
        return found;
    }

    /**
     * Installs the jars of a folder that only some starts use (web/, secretservice/) and
     * starts them for this run only, so that a later start without the switch does not.
     *
     * @param context the framework's context
     * @param folder the folder of jars
     * @param startLevel their start level
     */
    static void startFolder(BundleContext context, Path folder, int startLevel) throws IOException,
            org.osgi.framework.BundleException {
        Set<String> present = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            present.add(bundle.getLocation());
        }
        List<Bundle> bundles = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path jar : jars) {
                String location = "reference:" + jar.toUri();
                Bundle bundle = present.contains(location) ? context.getBundle(location) : context.installBundle(location);
                bundle.adapt(BundleStartLevel.class).setStartLevel(startLevel);
                bundles.add(bundle);
            }
        }
        for (Bundle bundle : bundles) {
            if (!fragment(bundle)) {
                bundle.start(Bundle.START_TRANSIENT);
            }
        }
    }

    static boolean fragment(Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }
}
