package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/** Damaged keyring files and empty secrets, as a script meets them through bin/coffer. */
public class DamagedFilesIT {

    @Rule
    public final Distribution dist = new Distribution();

    private Map<String, String> plaintext() {
        Map<String, String> env = new HashMap<>(dist.env());
        env.put("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        return env;
    }

    private Processes.Result plaintext(String stdin, String... args) {
        return Processes.run(dist.command(args), plaintext(), stdin);
    }

    private static void assertFailsSaying(Processes.Result result, String... words) {
        assertEquals(result.stderr, 1, result.exit);
        assertEquals("", result.stdout);
        for (String word : words) {
            assertTrue(result.stderr, result.stderr.contains(word));
        }
    }

    @Test
    public void aDamagedValueIsAnErrorNamingTheFileNeverAnotherSecret() throws Exception {
        Path file = Files.createDirectories(dist.dataHome.resolve("python_keyring")).resolve("keyring_pass.cfg");
        Files.writeString(file, "[svc]\nu = \n\tcz");
        assertFailsSaying(plaintext(null, "keyring:get", "svc", "u"), "plaintext", file.toString(),
                "incorrect padding");
        assertEquals("[svc]\nu = \n\tcz", Files.readString(file));
    }

    @Test
    public void aFolderWhereTheKeyringFileShouldBeIsSaidSoByGetAndSet() throws Exception {
        Path file = Files.createDirectories(dist.dataHome.resolve("python_keyring/keyring_pass.cfg"));
        assertFailsSaying(plaintext(null, "keyring:get", "svc", "u"), file.toString(), "a folder");
        assertFailsSaying(plaintext("v\n", "keyring:set", "svc", "u"), file.toString(), "a folder");
    }

    @Test
    public void anEmptySecretIsRefusedUnlessAllowed() {
        for (String empty : new String[] {"", "\n"}) {
            assertFailsSaying(plaintext(empty, "keyring:set", "svc", "u"), "empty", "--allow-empty");
        }
        assertEquals(1, plaintext(null, "keyring:get", "svc", "u").exit);
        Processes.Result allowed = plaintext("\n", "keyring:set", "--allow-empty", "svc", "u");
        assertEquals(allowed.stderr, 0, allowed.exit);
        Processes.Result read = plaintext(null, "keyring:get", "svc", "u");
        assertEquals(read.stderr, 0, read.exit);
        assertEquals("\n", read.stdout);
    }

    @Test
    public void theFirstWriteOfAFreshInstallToAnEncryptedKeyringSucceeds() {
        Processes.Result set = dist.coffer("v\n", "keyring:set", "s", "u");
        assertEquals(set.stderr, 0, set.exit);
        Processes.Result get = dist.coffer(null, "keyring:get", "s", "u");
        assertEquals("v\n", get.stdout);
    }
}
