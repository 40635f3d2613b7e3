package org.coffer.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Coffer's Secret Service, served by the agent only ({@code bin/coffer --secret-service
 * run}, or {@code coffer.secretservice = true} in {@code etc/config.properties}): the
 * bundle of {@code secretservice/} starts for this run, configured (PID
 * {@value #PID}) unless {@code etc/} configures it, and the agent says whether it owns
 * the name.
 */
final class SecretServiceSwitch {

    static final String SWITCH = "coffer.secretservice";
    static final String PID = "org.coffer.secretservice.provider";
    /** The property of the service the bundle registers while it owns the name: the bus. */
    private static final String SERVING = "(coffer.secretservice.bus=*)";
    private static final long OWN_MILLIS = 10_000;

    private SecretServiceSwitch() {
    }

    static void start(BundleContext context, Path install, int startLevel, PrintStream err)
            throws IOException, BundleException, InterruptedException, InvalidSyntaxException {
        Path folder = install.resolve("secretservice");
        if (!Files.isDirectory(folder)) {
            throw new IOException("This install has no secretservice/ folder with the Secret Service's bundle");
        }
        configure(context);
        ServiceTracker<Object, Object> serving = new ServiceTracker<>(context, context.createFilter(SERVING), null);
        serving.open();
        try {
            InstallBundles.startFolder(context, folder, startLevel);
            if (serving.waitForService(OWN_MILLIS) == null) {
                // the bundle said why on standard error (another owner, no session bus)
                err.println("coffer: the Secret Service is not served");
                return;
            }
            ServiceReference<Object> reference = serving.getServiceReference();
            err.println("coffer: serving the Secret Service (org.freedesktop.secrets) on "
                    + reference.getProperty("coffer.secretservice.bus"));
        } finally {
            serving.close();
        }
    }

    /** An empty configuration (the session bus of the environment) where etc/ gives none. */
    private static void configure(BundleContext context) throws IOException {
        ServiceReference<?> reference = context.getServiceReference(EtcConfigurations.CM);
        if (reference == null) {
            throw new IllegalStateException("ConfigAdmin is not running; check bundle/");
        }
        Object admin = context.getService(reference);
        try {
            ReflectiveConfigAdmin cm = new ReflectiveConfigAdmin(admin, reference.getBundle().loadClass(EtcConfigurations.CM));
            if (cm.list("(service.pid=" + PID + ")").length == 0) {
                cm.put(PID, Map.of());
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot configure " + PID + ": " + e.getMessage(), e);
        } finally {
            context.ungetService(reference);
        }
    }
}
