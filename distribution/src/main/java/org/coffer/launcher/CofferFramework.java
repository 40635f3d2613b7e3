package org.coffer.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.coffer.client.Places;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Felix with Coffer, on the user's own state: a cache slot of the user's
 * ({@link CacheSlot}), ConfigAdmin's store in the state folder, the install folder only
 * read. Start level 1 runs ConfigAdmin alone, so the configurations of {@code etc/} are
 * in place before any component starts at level 2; a command never runs before them.
 */
final class CofferFramework implements AutoCloseable {

    private static final int CONFIG_LEVEL = 1;
    private static final int BUNDLE_LEVEL = 2;
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    private static final String JLINE_SHELL = "org.apache.felix.gogo.jline";
    // generous: sixteen starts at once on two cores take long, and a start that progresses is no hang
    private static final long SETTLE_MILLIS = TimeUnit.SECONDS.toMillis(180);

    final Framework framework;
    private final CacheSlot slot;
    private static final String ACCESS_FILE = "org.coffer.access.cfg";
    private final EtcConfigurations etc;
    private final Path install;
    private ScheduledExecutorService watcher;

    private CofferFramework(Framework framework, CacheSlot slot, EtcConfigurations etc, Path install) {
        this.framework = framework;
        this.slot = slot;
        this.etc = etc;
        this.install = install;
    }

    /**
     * @param install the install folder, only read
     * @param places the user's folders
     * @param err where problems with etc/ are reported
     * @return the started framework, its configuration and backends in place
     */
    static CofferFramework start(Path install, Places places, PrintStream err) throws Exception {
        return start(install, places, err, false, false);
    }

    /**
     * @param longLived whether this is the shell or the agent, which serve the Web Console
     *        when {@code coffer.web} of {@code etc/config.properties} is true
     * @param web whether {@code --web} asked for the Web Console
     */
    static CofferFramework start(Path install, Places places, PrintStream err, boolean longLived, boolean web)
            throws Exception {
        Path state = Places.privateFolder(places.state());
        // ConfigAdmin's store holds what etc/ and the shell configure: the user's only
        Places.privateFolder(state.resolve("config"));
        CacheSlot slot = CacheSlot.acquire(state.resolve("cache"), install);
        Map<String, String> variables = Map.of("coffer.install", install.toString(), "coffer.state", state.toString(),
                "coffer.home", state.toString());
        EtcConfigurations etc = new EtcConfigurations(List.of(install.resolve("etc"), places.userEtc()), variables, err);
        Map<String, String> config = frameworkConfig(install, state, slot, variables);
        config.put("coffer.access.files", install.resolve("etc").resolve(ACCESS_FILE) + ","
                + places.userEtc().resolve(ACCESS_FILE));
        config.put("coffer.own.locations", ownLocations(install));
        boolean serveWeb = web || (longLived && Boolean.parseBoolean(config.get(WebConsole.SWITCH)));
        if (serveWeb) {
            WebConsole.configure(config, state, System.getenv(), err);
        }
        Framework framework = newFramework(install, config);
        CofferFramework coffer = new CofferFramework(framework, slot, etc, install);
        try {
            framework.init();
            coffer.installBundles(framework.getBundleContext());
            framework.start();
            etc.apply(framework.getBundleContext());
            coffer.raiseStartLevel();
            coffer.awaitDeployedBundles();
            if (serveWeb) {
                WebConsole.start(framework.getBundleContext(), install, BUNDLE_LEVEL, err);
            }
            return coffer;
        } catch (Exception | Error e) {
            coffer.close();
            throw e;
        }
    }

    /**
     * The locations of the bundles this install ships: its {@code bundle/} and {@code web/}
     * folders and the backend jars listed as shipped in {@code deploy/}. Coffer's own
     * rights go to these and to no other bundle, whatever its name.
     */
    static String ownLocations(Path install) throws IOException {
        List<String> locations = new java.util.ArrayList<>();
        locations.add("reference:" + install.resolve("bundle").toUri() + "*");
        locations.add("reference:" + install.resolve("web").toUri() + "*");
        Path shipped = install.resolve("lib/shipped-deploy.list");
        if (Files.isRegularFile(shipped)) {
            for (String name : Files.readAllLines(shipped)) {
                if (!name.isBlank() && !name.contains("/")) {
                    // FileInstall's location for a jar of deploy/
                    locations.add(install.resolve("deploy").resolve(name.strip()).toFile().toURI().toString());
                }
            }
        }
        return String.join(",", locations);
    }

    private static Map<String, String> frameworkConfig(Path install, Path state, CacheSlot slot,
            Map<String, String> variables) throws IOException {
        Map<String, String> config = new HashMap<>(variables);
        config.put(Constants.FRAMEWORK_STORAGE, slot.folder.toString());
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(CONFIG_LEVEL));
        config.put("felix.startlevel.bundle", Integer.toString(BUNDLE_LEVEL));
        config.put("felix.cm.dir", state.resolve("config").toString());
        config.put("felix.fileinstall.dir", install.resolve("deploy").toString());
        config.put("felix.fileinstall.poll", "1000");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.log.level", "1");
        // a configuration dropped into deploy/ is read, never written back
        config.put("felix.fileinstall.enableConfigSave", "false");
        config.put("felix.log.level", "1");
        // a one-shot command stops the framework at once; EventAdmin would warn on standard output
        config.put("org.apache.felix.eventadmin.LogLevel", "1");
        config.put("ds.loglevel", "error");
        Path file = install.resolve("etc/config.properties");
        if (Files.isRegularFile(file)) {
            Properties overrides = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                overrides.load(in);
            }
            for (String name : overrides.stringPropertyNames()) {
                String value = overrides.getProperty(name);
                for (Map.Entry<String, String> variable : variables.entrySet()) {
                    value = value.replace("${" + variable.getKey() + "}", variable.getValue());
                }
                config.put(name, value);
            }
        }
        return config;
    }

    private static Framework newFramework(Path install, Map<String, String> config) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi framework in " + install.resolve("lib")));
        return factory.newFramework(config);
    }

    /** Installs what the cache lacks of bundle/ and drops deploy/ bundles whose jar is gone. */
    private void installBundles(BundleContext context) throws Exception {
        Set<String> present = new HashSet<>();
        String deploy = install.resolve("deploy").toUri().toString();
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation();
            present.add(location);
            if (location.startsWith(deploy) && !Files.exists(Path.of(java.net.URI.create(location)))) {
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
                bundle.adapt(BundleStartLevel.class).setStartLevel(config ? CONFIG_LEVEL : BUNDLE_LEVEL);
                if (!fragment(bundle) && !JLINE_SHELL.equals(bundle.getSymbolicName())) {
                    bundle.start();
                }
            }
        }
    }

    private void raiseStartLevel() throws InterruptedException {
        CountDownLatch raised = new CountDownLatch(1);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(BUNDLE_LEVEL, event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                raised.countDown();
            }
        });
        if (!raised.await(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Coffer's bundles did not start within " + SETTLE_MILLIS / 1000 + " s");
        }
    }

    /**
     * Waits until FileInstall has installed every jar of deploy/ and started each that can
     * resolve, so a command sees every backend. A jar that cannot resolve is not waited
     * for: {@code keyring:backends --all} and the framework's log say what it lacks.
     */
    private void awaitDeployedBundles() throws IOException, InterruptedException {
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
            long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
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

    private static boolean fragment(Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }

    /** Applies edits of the etc/ folders within a second, for a shell or agent that keeps running. */
    void watchEtc(PrintStream err) {
        watcher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "coffer-etc");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(() -> {
            try {
                if (etc.changed()) {
                    etc.apply(framework.getBundleContext());
                }
            } catch (Exception e) {
                err.println("coffer: applying etc/ failed: " + e.getMessage());
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts the interactive Gogo shell for this run only. */
    void startShell() throws Exception {
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (JLINE_SHELL.equals(bundle.getSymbolicName())) {
                bundle.start(Bundle.START_TRANSIENT);
            }
        }
    }

    /** @return Gogo's command runner, once it is there */
    Gogo gogo() throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(framework.getBundleContext(), Gogo.PROCESSOR, null);
        tracker.open();
        try {
            Object processor = tracker.waitForService(SETTLE_MILLIS);
            if (processor == null) {
                throw new IllegalStateException("the Gogo shell runtime did not start; check " + install.resolve("bundle"));
            }
            return new Gogo(processor);
        } finally {
            tracker.close();
        }
    }

    @Override
    public void close() throws Exception {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } finally {
            slot.close();
        }
    }
}
