package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.coffer.BackendInfo;
import org.coffer.CredentialProvider;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Coffer bundles in a real Felix, as the distribution composes them: SCR,
 * ConfigAdmin, the Gogo runtime, the API, the provider, the shell and the plaintext
 * backend, each from the jar the build produced.
 */
public abstract class CofferSupport {

    static final String PLAINTEXT_PID = "org.coffer.backend.plaintext";
    static final String PLAINTEXT_BSN = "org.coffer.backend.plaintext";

    @Inject
    protected BundleContext context;

    @Inject
    protected CredentialProvider provider;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    static File bundles() {
        return new File(System.getProperty("coffer.bundles", "target/bundles"));
    }

    static Option jar(String name) {
        return CoreOptions.bundle(new File(bundles(), name + ".jar").toURI().toString());
    }

    /** The runtime and the Coffer bundles; subclasses may add options. */
    @Configuration
    public Option[] config() throws IOException {
        Path work = Path.of(System.getProperty("coffer.work", "target/work"));
        Files.createDirectories(work);
        return options(
                frameworkProperty("felix.log.level").value("1"),
                systemProperty("ds.loglevel").value("error"),
                systemProperty("coffer.work").value(work.toAbsolutePath().toString()),
                junitBundles(),
                jar("org.osgi.util.function"),
                jar("org.osgi.util.promise"),
                jar("org.osgi.service.component"),
                jar("org.apache.felix.scr"),
                jar("org.apache.felix.configadmin"),
                jar("org.apache.felix.log"),
                jar("org.apache.felix.gogo.runtime"),
                jar("org.coffer.api"),
                jar("org.coffer.keyringfile"),
                jar("org.coffer.provider"),
                jar("org.coffer.shell"),
                jar(PLAINTEXT_BSN));
    }

    /** A fresh folder for this test's keyring files. */
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
                () -> provider.backends().stream().anyMatch(b -> b.name().equals(name) && b.ranking() == ranking
                        && b.description().contains(file.toString())));
    }

    protected List<String> backendNames() {
        return provider.backends().stream().map(BackendInfo::name).collect(Collectors.toList());
    }

    protected String activeName() {
        return provider.backends().stream().filter(BackendInfo::active).map(BackendInfo::name).findFirst().orElse(null);
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
