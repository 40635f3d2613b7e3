package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.coffer.BackendInfo;
import org.coffer.CredentialProvider;
import org.coffer.KeyringAdmin;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Coffer bundles in a real OSGi container: Felix or Equinox, each bundle from the jar
 * the build produced, or Karaf 4.4, with the features of Coffer's features repository.
 * The failsafe run names the container in the system property {@code coffer.container};
 * the test bodies are the same in all three.
 */
public abstract class CofferSupport {

    static final String PLAINTEXT_PID = "org.coffer.backend.plaintext";
    static final String PLAINTEXT_BSN = "org.coffer.backend.plaintext";
    static final String ACCESS_POLICY_FILE = "org.coffer.access.cfg";

    /** Parts of Coffer a test needs: Karaf installs the feature, Felix and Equinox the jars. */
    enum Part {
        /** The provider, the shell, the plaintext keyring: Karaf's {@code coffer} feature has them. */
        CORE("coffer", "org.coffer.api", "org.coffer.files", "org.coffer.keyringfile", "org.coffer.provider",
                "org.coffer.shell", PLAINTEXT_BSN),
        /** The cryptfile keyring, in Karaf's {@code coffer} feature too. */
        CRYPTFILE("coffer", "bcprov-jdk18on", "org.coffer.backend.cryptfile"),
        SECRETSERVICE("coffer-secretservice", "bcprov-jdk18on", "org.coffer.backend.cryptfile",
                "org.coffer.backend.secretservice"),
        KEYCTL("coffer-keyctl", "jna", "org.coffer.backend.keyctl"),
        /** etcd needs neither crypto nor Jasypt: it seals in memory with the API's MemorySeal. */
        ETCD("coffer-etcd", "jackson-core", "org.coffer.backend.etcd"),
        /** Under the feature's former name, which installs coffer-credentials-xml and the properties format. */
        CREDENTIALS("coffer-credentials", "org.apache.servicemix.bundles.jasypt", "org.coffer.crypto",
                "org.coffer.credentials.xml", "org.coffer.format.properties"),
        APPCONFIG("coffer-appconfig", "org.coffer.format.ini", "org.coffer.configadmin"),
        /** Coffer serving org.freedesktop.secrets on a session bus. */
        SECRETSERVICE_PROVIDER("coffer-secretservice-provider", "org.coffer.secretservice.provider"),
        /** Secure Storage's password provider: Equinox only; outside Karaf the test adds Eclipse's security stack. */
        ECLIPSE("coffer-eclipse-provider", "org.coffer.backend.eclipse", "org.coffer.eclipse"),
        /** The Web Console on Felix HTTP's Jetty, with Coffer's page; Karaf's {@code webconsole} under the feature. */
        WEBCONSOLE("coffer-webconsole", "org.apache.felix.http.servlet-api", "org.apache.felix.http.jetty", "commons-io",
                "commons-fileupload", "org.apache.felix.webconsole", "org.coffer.webconsole");

        final String feature;
        final List<String> jars;

        Part(String feature, String... jars) {
            this.feature = feature;
            this.jars = List.of(jars);
        }
    }

    @Inject
    protected BundleContext context;

    @Inject
    protected CredentialProvider provider;

    @Inject
    protected KeyringAdmin admin;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    /** What the {@code *SwapIT} tests share. */
    protected final SwapFixture swaps = new SwapFixture(this);

    static File bundles() {
        return new File(System.getProperty("coffer.bundles", "target/bundles"));
    }

    static Option jar(String name) {
        return CoreOptions.bundle(new File(bundles(), name + ".jar").toURI().toString());
    }

    /** @return the parts of Coffer this test needs */
    protected List<Part> parts() {
        return List.of(Part.CORE);
    }

    /** @return options of this test, for every container */
    protected Option[] extra() throws IOException {
        return new Option[0];
    }

    /** @return this test's framework: its own, or the one it shares ({@link SharedFramework}) */
    @Configuration
    public Option[] config() throws IOException {
        return SharedFramework.shares(getClass()) ? SharedFramework.options() : container(parts(), extra());
    }

    /**
     * Karaf's features bring more than some tests compose (the {@code coffer} feature has
     * every file keyring), and a shared framework has every part of the tests that share
     * it: the backends beyond this test's parts are stopped, and in a shared framework its
     * own are started, should a test before it have stopped them.
     */
    @Before
    public void onlyThePartsOfThisTest() throws BundleException {
        if (Containers.karaf()) {
            // the probe may start before Karaf's features deployment has finished its refresh
            await("Karaf's boot features",
                    () -> context.getServiceReference("org.apache.karaf.features.BootFinished") != null);
        }
        Set<String> wanted = new HashSet<>();
        parts().forEach(part -> wanted.addAll(part.jars));
        boolean shared = Boolean.getBoolean(SharedFramework.MARK);
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name == null || !name.startsWith("org.coffer.backend.")) {
                continue;
            }
            if (!wanted.contains(name) && bundle.getState() == Bundle.ACTIVE) {
                bundle.stop(Bundle.STOP_TRANSIENT);
            } else if (shared && wanted.contains(name) && bundle.getState() == Bundle.RESOLVED) {
                bundle.start(Bundle.START_TRANSIENT);
            }
        }
    }

    /**
     * @param parts the parts of Coffer to install
     * @param extra options of the test, for every container
     * @return the options that start the container of this run with them
     */
    static Option[] container(List<Part> parts, Option... extra) throws IOException {
        Path work = Path.of(System.getProperty("coffer.work", "target/work"));
        Files.createDirectories(work);
        List<Option> options = new ArrayList<>();
        if (Containers.karaf()) {
            options.addAll(Containers.karaf(work, parts));
        } else {
            options.add(frameworkProperty("felix.log.level").value("1"));
            // Pax Exam's logging would print every debug line (Jetty's, some hundred MB a run) to the test output
            options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
            options.add(systemProperty("ds.loglevel").value("error"));
            options.add(junitBundles());
            for (String runtime : List.of("org.osgi.util.function", "org.osgi.util.promise",
                    "org.osgi.service.component", "org.apache.felix.scr", "org.apache.felix.configadmin",
                    "org.apache.felix.log", "org.apache.felix.eventadmin", "org.apache.felix.gogo.runtime")) {
                options.add(jar(runtime));
            }
            Set<String> jars = new LinkedHashSet<>();
            parts.forEach(part -> jars.addAll(part.jars));
            jars.forEach(name -> options.add(jar(name)));
        }
        if (!Containers.karaf()) {
            // the provider takes the access policy from its file only; Karaf's is in its etc/
            Path policy = work.toAbsolutePath().resolve(ACCESS_POLICY_FILE);
            Files.deleteIfExists(policy);
            options.add(frameworkProperty("coffer.access.files").value(policy.toString()));
        }
        options.add(systemProperty("coffer.work").value(work.toAbsolutePath().toString()));
        options.add(systemProperty("coffer.container").value(Containers.CONTAINER));
        for (String passed : List.of("coffer.bundles", "coffer.fixture")) {
            options.add(systemProperty(passed).value(new File(System.getProperty(passed)).getAbsolutePath()));
        }
        options.addAll(List.of(extra));
        return options.toArray(new Option[0]);
    }

    /**
     * @return the access policy's file in this container: Karaf's {@code etc/}, else the
     *         file the framework property {@code coffer.access.files} names
     */
    protected static Path accessPolicyFile() {
        String etc = System.getProperty("karaf.etc");
        return etc != null ? Path.of(etc, "org.coffer.access.cfg")
                : Path.of(System.getProperty("coffer.work", "target/work")).toAbsolutePath().resolve(ACCESS_POLICY_FILE);
    }

    /**
     * Writes the access policy's file, as an administrator does; the provider reads it at
     * its next call. ConfigAdmin is not the way: a policy written there is ignored.
     *
     * @param rules the policy's properties
     */
    protected static void writeAccessPolicy(java.util.Map<String, String> rules) throws IOException {
        Path file = accessPolicyFile();
        StringBuilder text = new StringBuilder();
        rules.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.setPosixFilePermissions(temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the access policy's file: the policy is open again. */
    protected static void removeAccessPolicy() throws IOException {
        Files.deleteIfExists(accessPolicyFile());
    }

    /** A framework property: Karaf takes it from {@code etc/config.properties}. */
    protected static Option property(String name, String value) {
        return Containers.karaf() ? Containers.configProperty(name, value) : frameworkProperty(name).value(value);
    }

    /** A fresh folder for this test's keyring files. */
    /** Requires an interop peer: fails under CI, skips loudly elsewhere. */
    protected static void requirePeer(boolean present, String what) {
        if (present) {
            return;
        }
        String message = "INTEROP PEER MISSING: " + what;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: interop tests must not be skipped)");
        }
        System.err.println("*** " + message + ": skipping ***");
        org.junit.Assume.assumeTrue(message, false);
    }

    protected static Path workDir(String name) throws IOException {
        Path dir = Path.of(System.getProperty("coffer.work", "target/work")).resolve(name + "-" + System.nanoTime());
        Files.createDirectories(dir);
        return dir;
    }

    /** Points the plaintext backend at a file, with a ranking, and waits until the provider sees it. */
    protected void configurePlaintext(String pid, String name, Path file, int ranking) throws IOException {
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("file", file.toString());
        properties.put("name", name);
        properties.put("service.ranking", ranking);
        configuration.update(properties);
        await("backend " + name + " at " + file + " ranked " + ranking,
                () -> admin.backends().stream().anyMatch(b -> b.name().equals(name) && b.ranking() == ranking
                        && b.description().contains(file.toString())));
    }

    protected List<String> backendNames() {
        return admin.backends().stream().map(BackendInfo::name).collect(Collectors.toList());
    }

    protected String activeName() {
        return admin.backends().stream().filter(BackendInfo::active).map(BackendInfo::name).findFirst().orElse(null);
    }

    protected Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("No bundle " + symbolicName);
    }

    protected static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    protected static void await(String what, BooleanSupplier condition, java.util.function.Supplier<String> state) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("Timed out waiting for " + what + " " + state.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    protected void assertActive(Bundle bundle) {
        assertEquals(bundle.getSymbolicName() + " is active", Bundle.ACTIVE, bundle.getState());
    }
}
