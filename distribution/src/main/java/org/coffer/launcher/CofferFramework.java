package org.coffer.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.coffer.client.Places;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Felix with Coffer, on the user's own state: a cache slot of the user's
 * ({@link CacheSlot}), ConfigAdmin's store in the state folder, the install folder only
 * read. Start level 1 runs ConfigAdmin alone, so the configurations of {@code etc/} are
 * in place before any component starts at level 2; a command never runs before them.
 * The launch properties come from {@link FrameworkProperties}, the bundles of the
 * install's folders from {@link InstallBundles}.
 */
final class CofferFramework implements AutoCloseable {

    static final int CONFIG_LEVEL = 1;
    static final int BUNDLE_LEVEL = 2;
    // generous: sixteen starts at once on two cores take long, and a start that progresses is no hang
    private static final long SETTLE_MILLIS = TimeUnit.SECONDS.toMillis(180);

    final Framework framework;
    private final CacheSlot slot;
    private final EtcConfigurations etc;
    private final Path install;
    private final InstallBundles bundles;
    private ScheduledExecutorService watcher;

    private CofferFramework(Framework framework, CacheSlot slot, EtcConfigurations etc, Path install) {
        this.framework = framework;
        this.slot = slot;
        this.etc = etc;
        this.install = install;
        this.bundles = new InstallBundles(install, SETTLE_MILLIS);
    }

    /**
     * @param install the install folder, only read
     * @param places the user's folders
     * @param err where problems with etc/ are reported
     * @return the started framework, its configuration and backends in place
     */
    static CofferFramework start(Path install, Places places, PrintStream err) throws Exception {
        return start(install, places, err, false, false, false);
    }

    /**
     * @param longLived whether this is the shell or the agent, which serve the Web Console
     *        when {@code coffer.web} of {@code etc/config.properties} is true
     * @param web whether {@code --web} asked for the Web Console
     * @param secretService whether {@code --secret-service} asked for the Secret Service
     *        (or {@code coffer.secretservice} of {@code etc/config.properties}, for the agent)
     */
    static CofferFramework start(Path install, Places places, PrintStream err, boolean longLived, boolean web,
            boolean secretService) throws Exception {
        Path state = Places.privateFolder(places.state());
        // ConfigAdmin's store holds what etc/ and the shell configure: the user's only
        Places.privateFolder(state.resolve("config"));
        CacheSlot slot = CacheSlot.acquire(state.resolve("cache"), install);
        Map<String, String> variables = Map.of("coffer.install", install.toString(), "coffer.state", state.toString(),
                "coffer.home", state.toString());
        EtcConfigurations etc = new EtcConfigurations(List.of(install.resolve("etc"), places.userEtc()), variables, err);
        Map<String, String> config = FrameworkProperties.of(install, places, state, slot, variables);
        boolean serveWeb = web || (longLived && Boolean.parseBoolean(config.get(WebConsole.SWITCH)));
        boolean serveBus = secretService || (longLived && Boolean.parseBoolean(config.get(SecretServiceSwitch.SWITCH)));
        if (serveWeb) {
            WebConsole.configure(config, state, System.getenv(), err);
        }
        Timing.START.mark("state, cache slot and properties");
        Framework framework = newFramework(install, config);
        CofferFramework coffer = new CofferFramework(framework, slot, etc, install);
        try {
            framework.init();
            Timing.START.watch(framework.getBundleContext());
            Timing.START.mark("framework init");
            coffer.bundles.installBundles(framework.getBundleContext());
            Timing.START.mark("bundles installed");
            framework.start();
            Timing.START.mark("framework start");
            etc.apply(framework.getBundleContext());
            Timing.START.mark("etc/ into ConfigAdmin");
            coffer.raiseStartLevel();
            Timing.START.mark("bundles started (SCR, backends)");
            coffer.bundles.awaitDeployedBundles(framework);
            Timing.START.mark("deploy/ settled");
            if (serveWeb) {
                WebConsole.start(framework.getBundleContext(), install, BUNDLE_LEVEL, err);
            }
            if (serveBus) {
                SecretServiceSwitch.start(framework.getBundleContext(), install, BUNDLE_LEVEL, err);
            }
            return coffer;
        } catch (Exception | Error e) {
            coffer.close();
            throw e;
        }
    }

    private static Framework newFramework(Path install, Map<String, String> config) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi framework in " + install.resolve("lib")));
        return factory.newFramework(config);
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
            if (InstallBundles.JLINE_SHELL.equals(bundle.getSymbolicName())) {
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
            Timing.START.mark("stop");
        }
    }
}
