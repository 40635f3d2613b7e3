package org.coffer.p2;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.coffer.backend.eclipse.internal.EquinoxWriter;
import org.junit.Test;

/**
 * Coffer's p2 repository as an Eclipse user meets it: the build's director run installed
 * the feature {@code org.coffer.feature} into a fresh folder ({@code p2/target/installation});
 * here Equinox starts from that folder alone, every installed bundle with it, and a value
 * put into a secure storage is encrypted with the master password Coffer's provider gave.
 */
public class P2RepositoryIT {

    private static final String GITHUB = "/GIT/https:\\2f\\2fgithub.com:443";

    @Test
    public void theDirectorsInstallationStartsOnEquinoxAndCoffersProviderGivesTheMasterPassword() throws Exception {
        Path plugins = Path.of(System.getProperty("coffer.p2.installation")).resolve("plugins");
        List<String> installed;
        try (Stream<Path> jars = Files.list(plugins)) {
            installed = jars.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        for (String bundle : List.of("org.coffer.eclipse_", "org.coffer.provider_", "org.coffer.backend.plaintext_",
                "org.eclipse.equinox.security_", "org.eclipse.equinox.registry_", "org.apache.felix.scr_")) {
            assertTrue(bundle + " in " + installed, installed.stream().anyMatch(name -> name.startsWith(bundle)));
        }
        Path framework = plugins.resolve(installed.stream().filter(name -> name.startsWith("org.eclipse.osgi_"))
                .findFirst().orElseThrow(() -> new AssertionError("no framework in " + installed)));

        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("coffer.work", "target/work")).toAbsolutePath()), "p2");
        Path data = work.resolve("data");
        Path storage = work.resolve("secure_storage");
        // the user's keyring: Python's plaintext file, chosen as Python's keyring would be
        Map<String, String> env = Map.of("XDG_DATA_HOME", data.toString(), "XDG_STATE_HOME", work.resolve("state")
                .toString(), "XDG_CONFIG_HOME", work.resolve("config").toString(), "PYTHON_KEYRING_BACKEND",
                "keyrings.alt.file.PlaintextKeyring", "DBUS_SESSION_BUS_ADDRESS", "");
        EquinoxWriter.inProcessOfItsOwn(framework, plugins, env, storage, "-", GITHUB, "password", "p2 s3cret", "true");

        String text = Files.readString(storage, StandardCharsets.ISO_8859_1);
        assertTrue("Coffer's provider encrypted it: " + text, text.contains("password=org.coffer.eclipse.provider\\t"));
        assertFalse(text, text.contains("p2 s3cret"));
        String keyring = Files.readString(data.resolve("python_keyring/keyring_pass.cfg"));
        // (the section as Python's keyring escapes the service's spaces)
        assertTrue("the master password is a Coffer entry: " + keyring, keyring.contains("[eclipse_20secure_20storage]"));
    }
}
