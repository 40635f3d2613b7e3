package org.coffer.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.coffer.itests.CofferSupport.Part;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * Where a Pax Exam run starts its container. Felix and Equinox are chosen by the
 * framework on the test class path (the failsafe run keeps one of them); Karaf is a
 * stock Karaf 4.4 distribution that installs Coffer's features, as a user would.
 */
final class Containers {

    static final String CONTAINER = System.getProperty("coffer.container", "felix");

    private Containers() {
    }

    static boolean karaf() {
        return "karaf".equals(CONTAINER);
    }

    /**
     * @param work the folder for this run's files
     * @param parts the parts of Coffer, as features
     * @return a Karaf that installs them from the features repository this build made
     */
    static List<Option> karaf(Path work, List<Part> parts) throws IOException {
        String repository = System.getProperty("coffer.karaf.repository");
        Path keyrings = Files.createDirectories(work.resolve("karaf-" + System.nanoTime()));
        Set<String> names = new LinkedHashSet<>();
        parts.forEach(part -> names.add(part.feature));
        List<Option> options = new ArrayList<>();
        options.add(karafDistributionConfiguration()
                .frameworkUrl(maven("org.apache.karaf", "apache-karaf").type("tar.gz")
                        .version(System.getProperty("coffer.karaf.version")))
                .unpackDirectory(new File(System.getProperty("coffer.karaf.unpack", "target/karaf")))
                .useDeployFolder(false));
        options.add(configureConsole().ignoreLocalConsole().ignoreRemoteShell());
        // Karaf's JVM starts, resolves and runs a test of seconds: C1 and the serial collector
        // spend less of the two cores than C2 and G1 would
        options.add(org.ops4j.pax.exam.CoreOptions.vmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        options.add(logLevel(LogLevel.WARN));
        // the SNAPSHOT bundles come from the repository the build laid out, before any other
        options.add(editConfigurationFileExtend("etc/org.ops4j.pax.url.mvn.cfg",
                "org.ops4j.pax.url.mvn.defaultRepositories", "file:" + repository + "@id=coffer@snapshots"));
        options.add(features(new File(repository, "org/coffer/coffer-features/" + System.getProperty("coffer.version")
                + "/coffer-features-" + System.getProperty("coffer.version") + "-features.xml").toURI().toString(),
                names.toArray(new String[0])));
        // the coffer feature brings the encrypted file keyrings: here on this run's files, ranked
        // below the plaintext keyring the tests configure (as text, the way etc/*.cfg gives it)
        options.add(editConfigurationFilePut("etc/org.coffer.backend.cryptfile.cfg", "file",
                keyrings.resolve("cryptfile_pass.cfg").toString()));
        options.add(editConfigurationFilePut("etc/org.coffer.backend.cryptfile.cfg", "service.ranking", "20"));
        options.add(editConfigurationFilePut("etc/org.coffer.backend.encryptedfile.cfg", "file",
                keyrings.resolve("crypted_pass.cfg").toString()));
        options.add(editConfigurationFilePut("etc/org.coffer.backend.encryptedfile.cfg", "service.ranking", "10"));
        return options;
    }

    /** A framework property of Karaf: a line of {@code etc/config.properties}. */
    static Option configProperty(String name, String value) {
        return editConfigurationFilePut("etc/config.properties", name, value);
    }
}
