package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The distribution on Windows: {@code bin\coffer.cmd} and {@code bin\res-keyring.cmd}
 * run by {@code cmd.exe} in a Windows JVM under Wine, on Wine's implementation of the
 * Credential Manager and its file system. Each test has its own {@code %LOCALAPPDATA%}
 * (Coffer's state and Python's keyring files); the Credential Manager is the prefix's,
 * so each test writes services of its own.
 */
public class WindowsDistributionIT {

    @Rule
    public final Distribution dist = new Distribution();

    private Wine wine;
    private Path appData;
    private Path coffer;

    @Before
    public void windows() throws Exception {
        wine = Wine.require();
        Path work = dist.home.getParent();
        appData = Files.createDirectories(work.resolve("appdata"));
        coffer = Wine.wrapper(work.resolve("coffer.cmd"), Map.of("LOCALAPPDATA", Wine.windows(appData)),
                dist.home.resolve("bin/coffer.cmd"));
    }

    private Processes.Result coffer(Map<String, String> env, String stdin, String... args) {
        return wine.cmd(coffer, env, stdin, args);
    }

    private static String lines(String windowsText) {
        return windowsText.replace("\r\n", "\n");
    }

    /**
     * One flow on one state folder, since every Windows JVM start under Wine costs seconds:
     * the one-shots, then {@code res-keyring.cmd}, then a plaintext keyring.
     */
    @Test
    public void oneShotsResKeyringAndTheFileKeyringsWorkAsOnLinux() throws Exception {
        Processes.Result set = coffer(Map.of(), "alice's secret\n", "keyring:set", "win-it one", "alice");
        assertEquals(set.stdout + set.stderr, 0, set.exit);
        // Wine has no Unix domain sockets: said once for the state folder, in %LOCALAPPDATA%\coffer
        assertTrue(set.stderr, set.stderr.contains("no Unix domain sockets"));
        assertTrue(Files.isDirectory(appData.resolve("coffer")));
        Processes.Result second = coffer(Map.of(), "juergen's secret\n", "keyring:set", "win-it one", "jürgen");
        assertEquals(second.stdout + second.stderr, 0, second.exit);
        assertEquals("not said again", "", second.stderr);

        // the backends; a user named in the code page of Windows, and both users of one service, as Python
        // keeps them: the first moved to alice@win-it one; a user that is not there fails the script
        Processes.Result both = coffer(Map.of(), null, "-c", "keyring:backends; keyring:get 'win-it one' alice;"
                + " keyring:get 'win-it one' jürgen; keyring:get 'win-it one' bob; keyring:delete 'win-it one' alice;"
                + " keyring:delete 'win-it one' jürgen");
        String listed = lines(both.stdout);
        assertTrue(listed, listed.matches("(?s).*\\* wincred +500 +Windows Credential Manager.*"));
        String keyrings = Wine.windows(appData.resolve("Python Keyring"));
        assertTrue(listed, listed.contains("file " + keyrings + "\\keyring_pass.cfg"));
        assertEquals(both.stderr, 1, both.exit);
        assertEquals("only bob is missing: a delete that finds nothing would say so too",
                "keyring: no password for 'bob' in 'win-it one'", lines(both.stderr).strip());
        assertTrue(listed, listed.endsWith("alice's secret\njuergen's secret\n"));

        resKeyringCmdSetsTheSecretsOfAnAppConfig();
        theFileKeyringsAreWhereKeyringsAltKeepsThemOnWindowsAndPythonReadsThem();
    }

    private void theFileKeyringsAreWhereKeyringsAltKeepsThemOnWindowsAndPythonReadsThem() throws Exception {
        Map<String, String> plaintext = Map.of("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        Processes.Result set = coffer(plaintext, "in a file\n", "keyring:set", "win-it two", "carol");
        assertEquals(set.stdout + set.stderr, 0, set.exit);
        Path file = appData.resolve("Python Keyring/keyring_pass.cfg");
        assertTrue(Files.isRegularFile(file));
        try (var beside = Files.list(file.getParent())) {
            assertEquals("the file and its lock, no temporary file left",
                    List.of("keyring_pass.cfg", "keyring_pass.cfg.lock"), beside.map(p -> p.getFileName().toString())
                            .sorted().collect(java.util.stream.Collectors.toList()));
        }
        // the same layout as on Linux: Python's keyrings.alt reads it there
        Path pythonData = Files.createDirectories(dist.home.getParent().resolve("linux-data/python_keyring"));
        Files.copy(file, pythonData.resolve("keyring_pass.cfg"));
        Distribution.require(Files.isExecutable(Peers.PYTHON), "Debian's python3 with keyrings.alt");
        assertEquals("in a file\n", Peers.python(Map.of("XDG_DATA_HOME", pythonData.getParent().toString()), null,
                "import keyrings.alt.file as f; print(f.PlaintextKeyring().get_password('win-it two', 'carol'))"));
    }

    private void resKeyringCmdSetsTheSecretsOfAnAppConfig() throws Exception {
        Path appConfig = dist.home.getParent().resolve("app.config");
        Files.writeString(appConfig, "[resilient]\r\nhost = example.com\r\napi_key_secret=^win_it_secret\r\n");
        Path resKeyring = Wine.wrapper(dist.home.getParent().resolve("res-keyring.cmd"),
                Map.of("LOCALAPPDATA", Wine.windows(appData)), dist.home.resolve("bin/res-keyring.cmd"));
        Processes.Result first = wine.cmd(resKeyring, Map.of(), "topsecret\ntopsecret\n", Wine.windows(appConfig));
        assertEquals(first.stdout + first.stderr, 0, first.exit);
        assertTrue(first.stdout, lines(first.stdout).contains("Secrets are stored with 'wincred'\n"
                + "[resilient] win_it_secret: <not set>\n"));
        assertTrue(first.stdout, lines(first.stdout).endsWith("Value set.\nDone.\n"));
        assertFalse(first.stdout, first.stdout.contains("topsecret"));
        // and the entries the flow deleted before are gone
        Processes.Result read = coffer(Map.of(), null, "-c",
                "keyring:get _ win_it_secret; keyring:delete _ win_it_secret; keyring:get 'win-it one' alice");
        assertEquals("topsecret\n", lines(read.stdout));
        assertEquals(read.stderr, 1, read.exit);
        assertTrue(read.stderr, read.stderr.contains("no password for 'alice' in 'win-it one'"));
    }
}
