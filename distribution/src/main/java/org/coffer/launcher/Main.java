package org.coffer.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts Coffer: the Felix framework with the bundles of {@code bundle/}, FileInstall
 * watching {@code etc/} and {@code deploy/}. Without arguments it opens the Gogo shell;
 * with {@code run} it runs as a service until stopped; with other arguments it runs them
 * as one shell command and exits with its status.
 *
 * <p>Before the shell opens, and when a service starts, locked keyrings are unlocked with
 * {@code keyring:unlock}: a hidden prompt on a terminal, else the first line of standard
 * input ({@code echo $PASSWORD | bin/coffer run}).
 */
public final class Main {

    private static final String STATUS = "coffer.status";
    private static final String CONSOLE = "coffer.console";
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String JLINE_SHELL = "org.apache.felix.gogo.jline";
    // the process's own streams: Gogo replaces System.out and System.err with per-thread redirections
    private static final InputStream STDIN = new java.io.FileInputStream(java.io.FileDescriptor.in);
    private static final java.io.PrintStream STDOUT = new java.io.PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
    private static final java.io.PrintStream STDERR = new java.io.PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
    private static final long SETTLE_MILLIS = TimeUnit.SECONDS.toMillis(20);

    private static final String UNLOCK = "keyring:unlock";

    private enum Mode { SHELL, SERVICE, COMMAND }

    private final Path home;
    private final Mode mode;

    private Main(Path home, Mode mode) {
        this.home = home;
        this.mode = mode;
    }

    public static void main(String[] args) throws Exception {
        String homeProperty = System.getProperty("coffer.home");
        if (homeProperty == null) {
            System.err.println("coffer: start Coffer with bin/coffer (the system property coffer.home is not set)");
            System.exit(2);
        }
        Mode mode = args.length == 0 ? Mode.SHELL : args.length == 1 && "run".equals(args[0]) ? Mode.SERVICE : Mode.COMMAND;
        Main main = new Main(Path.of(homeProperty).toAbsolutePath().normalize(), mode);
        System.exit(main.run(args));
    }

    private int run(String[] args) throws Exception {
        if (mode != Mode.COMMAND && !AppLock.acquire(System.getenv(), STDERR)) {
            return 1;
        }
        Framework framework = newFramework();
        framework.init();
        installBundles(framework.getBundleContext());
        framework.start();
        awaitDeployedBundles(framework.getBundleContext());
        if (mode == Mode.SHELL) {
            if (System.console() != null) {
                execute(framework.getBundleContext(), UNLOCK, Map.of());
            }
            startShell(framework.getBundleContext());
            framework.waitForStop(0);
            return 0;
        }
        if (mode == Mode.SERVICE) {
            return runService(framework);
        }
        try {
            Map<String, String> variables = new HashMap<>();
            String line = commandLine(args, variables);
            return execute(framework.getBundleContext(), line, variables);
        } finally {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** Unlocks the keyrings from the terminal or standard input, then runs until the process is stopped. */
    private int runService(Framework framework) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                framework.stop();
                framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
            } catch (BundleException | InterruptedException e) {
                STDERR.println("coffer: stopping failed: " + e.getMessage());
            }
        }, "coffer-shutdown"));
        int unlocked = execute(framework.getBundleContext(), UNLOCK, Map.of());
        if (unlocked != 0) {
            STDERR.println("coffer: a keyring could not be unlocked; stopping");
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
            return unlocked;
        }
        STDERR.println("coffer: running; stop with SIGTERM (systemctl stop)");
        framework.waitForStop(0);
        return 0;
    }

    private Framework newFramework() throws IOException {
        Map<String, String> config = new HashMap<>();
        config.put("coffer.home", home.toString());
        config.put(Constants.FRAMEWORK_STORAGE, home.resolve("data/cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.cm.dir", home.resolve("data/config").toString());
        config.put("felix.fileinstall.dir", home.resolve("etc").toString());
        config.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
        config.put("felix.fileinstall.poll", "1000");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.log.level", "1");
        config.put("felix.log.level", "1");
        config.put("ds.loglevel", "error");
        Path file = home.resolve("etc/config.properties");
        if (Files.isRegularFile(file)) {
            Properties overrides = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                overrides.load(in);
            }
            overrides.stringPropertyNames().forEach(name -> config.put(name,
                    overrides.getProperty(name).replace("${coffer.home}", home.toString())));
        }
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi framework in " + home.resolve("lib")));
        return factory.newFramework(config);
    }

    private void installBundles(BundleContext context) throws IOException, BundleException {
        List<Bundle> installed = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(home.resolve("bundle"), "*.jar")) {
            for (Path jar : jars) {
                installed.add(context.installBundle(jar.toUri().toString()));
            }
        }
        for (Bundle bundle : installed) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            boolean shell = JLINE_SHELL.equals(bundle.getSymbolicName());
            if (!fragment && !shell) {
                bundle.start();
            }
        }
    }

    /** Opens the interactive Gogo shell once the backends are in place. */
    private static void startShell(BundleContext context) throws BundleException {
        for (Bundle bundle : context.getBundles()) {
            if (JLINE_SHELL.equals(bundle.getSymbolicName())) {
                bundle.start();
            }
        }
    }

    /** Waits until FileInstall has started every bundle of {@code deploy/}, so a command sees them all. */
    private void awaitDeployedBundles(BundleContext context) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        Path deploy = home.resolve("deploy");
        if (Files.isDirectory(deploy)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(deploy, "*.jar")) {
                jars.forEach(jar -> names.add(jar.getFileName().toString()));
            }
        }
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (System.currentTimeMillis() < deadline && !allActive(context, names)) {
            Thread.sleep(50);
        }
    }

    private static boolean allActive(BundleContext context, List<String> names) {
        for (String name : names) {
            boolean active = false;
            for (Bundle bundle : context.getBundles()) {
                String location = bundle.getLocation();
                if (location.endsWith("/" + name)) {
                    active = bundle.getState() == Bundle.ACTIVE
                            || bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                }
            }
            if (!active) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first argument is the command. Others that are plain words stay in the line;
     * the rest become session variables, so that Gogo takes them literally whatever they
     * contain (quotes, spaces, dollars).
     */
    static String commandLine(String[] args, Map<String, String> variables) {
        StringBuilder line = new StringBuilder(args[0]);
        for (int i = 1; i < args.length; i++) {
            if (!args[i].isEmpty() && args[i].matches("[A-Za-z0-9_.:/@=+,-]+")) {
                line.append(' ').append(args[i]);
            } else {
                String name = "coffer_arg" + i;
                variables.put(name, args[i]);
                line.append(" $").append(name);
            }
        }
        return line.toString();
    }

    private int execute(BundleContext context, String line, Map<String, String> variables) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, PROCESSOR, null);
        tracker.open();
        try {
            Object processor = tracker.waitForService(SETTLE_MILLIS);
            if (processor == null) {
                System.err.println("coffer: the Gogo shell runtime did not start; check " + home.resolve("bundle"));
                return 1;
            }
            return new OneShot(processor).run(line, variables);
        } finally {
            tracker.close();
        }
    }

    /** One command through the Gogo {@code CommandProcessor}, called reflectively: its API lives in a bundle. */
    private static final class OneShot {
        private final Object processor;

        OneShot(Object processor) {
            this.processor = processor;
        }

        int run(String line, Map<String, String> variables) throws Exception {
            Class<?> type = Class.forName(PROCESSOR, false, processor.getClass().getClassLoader());
            Object session = type.getMethod("createSession", InputStream.class, java.io.OutputStream.class,
                    java.io.OutputStream.class).invoke(processor, STDIN, STDOUT, STDERR);
            Class<?> sessionType = session.getClass().getClassLoader()
                    .loadClass("org.apache.felix.service.command.CommandSession");
            java.lang.reflect.Method put = sessionType.getMethod("put", String.class, Object.class);
            put.invoke(session, CONSOLE, System.console() != null);
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                put.invoke(session, variable.getKey(), variable.getValue());
            }
            try {
                Object result = sessionType.getMethod("execute", CharSequence.class).invoke(session, line);
                if (result != null) {
                    Object text = sessionType.getMethod("format", Object.class, int.class).invoke(session, result, 0);
                    STDOUT.println(text);
                }
                Object status = sessionType.getMethod("get", String.class).invoke(session, STATUS);
                return status instanceof Integer ? (Integer) status : 0;
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (Boolean.getBoolean("coffer.debug")) {
                    cause.printStackTrace(STDERR);
                }
                STDERR.println("coffer: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
                return cause instanceof IllegalArgumentException ? 2 : 1;
            } finally {
                sessionType.getMethod("close").invoke(session);
                STDOUT.flush();
            }
        }
    }
}
