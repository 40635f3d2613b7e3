package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.coffer.test.Processes;

/** The built distribution, driven as a user drives it: bin/coffer one-shot commands and the shell under tmux. */
public class DistributionIT {

    @Rule
    public final Distribution dist = new Distribution();

    @Test
    public void oneShotCommandsWorkLikePythonsKeyringCommandLine() throws IOException {
        Processes.Result set = dist.coffer("pässword with spaces\n", "keyring:set", "my service", "bob o'neil $HOME");
        assertEquals(set.stderr, 0, set.exit);
        assertEquals("", set.stdout);
        Processes.Result get = dist.coffer(null, "keyring:get", "my service", "bob o'neil $HOME");
        assertEquals(get.stderr, 0, get.exit);
        assertEquals("pässword with spaces\n", get.stdout);
        Path file = dist.dataHome.resolve("python_keyring/cryptfile_pass.cfg");
        assertTrue(Files.readString(file).contains("[my_20service]\nbob_20o_27neil_20_24home = \n"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Processes.Result missing = dist.coffer(null, "keyring:get", "my service", "nobody");
        assertEquals(1, missing.exit);
        assertEquals("", missing.stdout);

        assertEquals(0, dist.coffer(null, "keyring:delete", "my service", "bob o'neil $HOME").exit);
        assertEquals(1, dist.coffer(null, "keyring:get", "my service", "bob o'neil $HOME").exit);
        assertEquals(1, dist.coffer(null, "keyring:delete", "my service", "bob o'neil $HOME").exit);
    }

    /** Java 25, the current LTS: not a word on standard error (Felix's Unsafe, JNA's native access, CDS). */
    @Test
    public void javaTwentyFiveRunsWithoutAWordOnStandardError() throws IOException {
        Optional<Path> java25 = Distribution.java25();
        assumeTrue(java25.isPresent());
        Path jdk = java25.get();
        Map<String, String> env = dist.env();
        env.put("JAVA_HOME", jdk.toString());
        env.put("COFFER_KEYRING_PASSWORD", Distribution.MASTER);
        // the first command writes the class-data archive, the second uses it
        for (String[] command : new String[][] {{"keyring:set", "svc", "bob"}, {"keyring:get", "svc", "bob"}}) {
            List<String> line = new ArrayList<>(List.of("--no-agent"));
            line.addAll(List.of(command));
            Processes.Result result = Processes.run(dist.command(line.toArray(new String[0])), env, "v25\n");
            assertEquals(result.stderr, 0, result.exit);
            assertEquals(String.join(" ", command), "", result.stderr);
        }
        assertEquals("v25\n", dist.coffer(null, "--no-agent", "keyring:get", "svc", "bob").stdout);
    }

    @Test
    public void listsBackendsWithoutAShellBanner() {
        Processes.Result backends = dist.coffer(null, "keyring:backends");
        assertEquals(backends.stderr, 0, backends.exit);
        assertTrue(backends.stdout, backends.stdout.startsWith("  NAME"));
        assertTrue(backends.stdout, backends.stdout.contains("* cryptfile          250"));
        assertTrue(backends.stdout, backends.stdout.contains("  encryptedfile       60"));
        assertTrue(backends.stdout, backends.stdout.contains("  plaintext           50"));
        assertFalse(backends.stdout, backends.stdout.contains("Gogo"));
        Processes.Result json = dist.coffer(null, "keyring:backends", "--all", "--json");
        assertTrue(json.stdout, json.stdout.startsWith("[{\"name\": \"cryptfile\""));
    }

    @Test
    public void migratesFromThePlaintextFileIntoTheEncryptedOne() throws IOException {
        assertEquals(0, dist.coffer(null, "keyring:use", "plaintext").exit);
        assertEquals(0, dist.coffer("old secret\n", "keyring:set", "legacy", "carol").exit);
        assertEquals(0, dist.coffer(null, "keyring:use", "--auto").exit);
        Processes.Result moved = dist.coffer(null, "keyring:migrate", "--delete", "plaintext", "cryptfile");
        assertEquals(moved.stderr, 0, moved.exit);
        assertTrue(moved.stdout, moved.stdout.contains("Moved 1 entries from 'plaintext' to 'cryptfile', every copy verified"));
        assertFalse(Files.readString(dist.dataHome.resolve("python_keyring/keyring_pass.cfg")).contains("carol"));
        assertEquals("old secret\n", dist.coffer(null, "keyring:get", "legacy", "carol").stdout);
    }

    @Test
    public void keepsThePinAcrossRestarts() {
        assertEquals(0, dist.coffer(null, "keyring:use", "plaintext").exit);
        assertTrue(dist.coffer(null, "keyring:diagnose").stdout.contains("pinned backend: plaintext"));
        assertEquals(0, dist.coffer(null, "keyring:use", "--auto").exit);
        assertTrue(dist.coffer(null, "keyring:diagnose").stdout.contains("pinned backend: none"));
        Processes.Result unknown = dist.coffer(null, "keyring:use", "nope");
        assertEquals(2, unknown.exit);
        assertTrue(unknown.stderr, unknown.stderr.contains("No keyring backend is named 'nope'"));
    }

    @Test
    public void aLockedKeyringSaysHowToUnlockAndAServiceUnlocksFromStandardInput() throws Exception {
        assertEquals(0, dist.coffer("value\n", "keyring:set", "svc", "alice").exit);
        Processes.Result locked = dist.cofferWithoutPassword(null, "keyring:get", "svc", "alice");
        assertEquals(1, locked.exit);
        assertTrue(locked.stderr, locked.stderr.contains("is locked") && locked.stderr.contains("keyring:unlock"));

        // echo $PASSWORD | bin/coffer run, as Resilient Circuits is started
        ProcessBuilder service = new ProcessBuilder(dist.home.resolve("bin/coffer").toString(), "run");
        service.environment().putAll(dist.env());
        service.environment().put(Distribution.NO_BUS, "");
        Process process = service.start();
        try (var in = process.getOutputStream()) {
            in.write((Distribution.MASTER + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<String> messages = Distribution.awaitLine(process.getErrorStream(), "running");
        assertTrue(messages.toString(), messages.contains("Unlocked cryptfile"));
        process.destroy();
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));

        ProcessBuilder wrong = new ProcessBuilder(dist.home.resolve("bin/coffer").toString(), "run");
        wrong.environment().putAll(dist.env());
        wrong.environment().put(Distribution.NO_BUS, "");
        Process refused = wrong.start();
        try (var in = refused.getOutputStream()) {
            in.write("not the password\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue(refused.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, refused.exitValue());
        assertTrue(new String(refused.getErrorStream().readAllBytes()).contains("Incorrect password"));
    }

    @Test
    public void resKeyringSetsTheSecretsOfAnAppConfigFromStandardInput() throws IOException {
        Path appConfig = dist.home.resolve("app.config");
        Files.writeString(appConfig, "[resilient]\nhost = example.com\napi_key_secret=^resilient_secret\n\n"
                + "[fn_mail]\nsmtp_password = ^{smtp}\nuser = ${USER}\n");
        Processes.Result first = dist.run(List.of(dist.home.resolve("bin/res-keyring").toString(), appConfig.toString()),
                "topsecret\ntopsecret\nmail1\nmail2\nmail1\nmail1\n");
        assertEquals(first.stderr, 0, first.exit);
        assertEquals(String.join("\n",
                "Configuration file: " + appConfig,
                "Secrets are stored with 'cryptfile'",
                "[resilient] resilient_secret: <not set>",
                "  Enter new value (or <ENTER> to leave unchanged):",
                "  Confirm new value:",
                "Value set.",
                "[fn_mail] smtp: <not set>",
                "  Enter new value (or <ENTER> to leave unchanged):",
                "  Confirm new value:",
                "Values do not match, try again.",
                "  Enter new value (or <ENTER> to leave unchanged):",
                "  Confirm new value:",
                "Value set.",
                "Done.", ""), first.stdout);
        assertEquals("topsecret\n", dist.coffer(null, "keyring:get", "_", "resilient_secret").stdout);
        assertEquals("mail1\n", dist.coffer(null, "keyring:get", "fn_mail", "smtp").stdout);

        Processes.Result again = dist.run(List.of(dist.home.resolve("bin/res-keyring").toString(), appConfig.toString()), "\n\n");
        assertTrue(again.stdout, again.stdout.contains("[resilient] resilient_secret: ^resilient_secret\n"));
        assertFalse(again.stdout, again.stdout.contains("topsecret"));

        Files.writeString(appConfig, "[resilient]\nhost = example.com\n");
        assertTrue(dist.run(List.of(dist.home.resolve("bin/res-keyring").toString(), appConfig.toString()), "").stdout
                .endsWith("Nothing to do.\n"));
        Processes.Result broken = dist.run(List.of(dist.home.resolve("bin/res-keyring").toString(), dist.home.resolve("nope.config").toString()), "");
        assertEquals(1, broken.exit);
        assertTrue(broken.stderr, broken.stderr.contains("does not exist"));
    }

    @Test
    public void resKeyringPromptsWithoutEchoOnATerminal() throws Exception {
        Distribution.requireTmux();
        Path appConfig = dist.home.resolve("app.config");
        Files.writeString(appConfig, "[resilient]\napi_key_secret=^resilient_secret\n");
        Distribution.Tmux tmux = dist.new Tmux("reskeyring", dist.shellEnv() + " APP_CONFIG_FILE=" + appConfig
                + " " + dist.home.resolve("bin/res-keyring") + "; sleep 30");
        try {
            tmux.await("Enter new value (or <ENTER> to leave unchanged):");
            tmux.type("typed-secret");
            tmux.await("Confirm new value:");
            tmux.type("typed-secret");
            tmux.await("Done.");
            String screen = tmux.screen();
            assertTrue(screen, screen.contains("Configuration file: " + appConfig));
            assertTrue(screen, screen.contains("[resilient] resilient_secret: <not set>"));
            assertTrue(screen, screen.contains("Value set."));
            assertFalse("the value is not echoed:\n" + screen, screen.contains("typed-secret"));
        } finally {
            tmux.kill();
        }
        assertEquals("typed-secret\n", dist.coffer(null, "keyring:get", "_", "resilient_secret").stdout);
    }

    /** Resilient's first step on a fresh machine: no keyring yet, a person at the terminal. */
    @Test
    public void resKeyringOnAFreshMachineAsksForTheNewKeyringsPasswordAfterTheValue() throws Exception {
        Distribution.requireTmux();
        Path appConfig = dist.home.resolve("app.config");
        Files.writeString(appConfig, "[resilient]\napi_key_secret=^resilient_secret\n");
        Distribution.Tmux tmux = dist.new Tmux("freshreskeyring", dist.shellEnvWithoutPassword() + " APP_CONFIG_FILE="
                + appConfig + " " + dist.home.resolve("bin/res-keyring") + "; echo exit=$?; sleep 30");
        try {
            tmux.await("Enter new value (or <ENTER> to leave unchanged):");
            tmux.type("fresh-secret");
            tmux.await("Confirm new value:");
            tmux.type("fresh-secret");
            tmux.await("Please set a password for your new keyring:");
            tmux.type("first password");
            tmux.await("Please confirm the password:");
            tmux.type("first password");
            tmux.await("exit=0");
            assertFalse(tmux.screen(), tmux.screen().contains("fresh-secret"));
        } finally {
            tmux.kill();
        }
        Map<String, String> env = dist.env();
        env.put("KEYRING_CRYPTFILE_PASSWORD", "first password");
        Processes.Result get = Processes.run(dist.command("keyring:get", "_", "resilient_secret"), env, null);
        assertEquals(get.stderr, "fresh-secret\n", get.stdout);
        // a script with neither a terminal nor a password variable is told which to set before any value is read
        Files.delete(dist.dataHome.resolve("python_keyring/cryptfile_pass.cfg"));
        Processes.Result script = dist.cofferWithoutPassword("a\na\n", "keyring:config", appConfig.toString());
        assertEquals(1, script.exit);
        assertTrue(script.stderr, script.stderr.contains("set KEYRING_CRYPTFILE_PASSWORD"));
        assertFalse(script.stdout, script.stdout.contains("Enter new value"));
    }

    /** Python asks twice for the first password of a new keyring: a typo would lock the user out. */
    @Test
    public void aNewEncryptedKeyringAsksForItsFirstPasswordTwice() throws Exception {
        Distribution.requireTmux();
        Path cryptfile = dist.dataHome.resolve("python_keyring/cryptfile_pass.cfg");
        assertFalse(Files.exists(cryptfile));
        Distribution.Tmux tmux = dist.new Tmux("newkeyring", dist.shellEnvWithoutPassword() + " "
                + dist.home.resolve("bin/coffer") + " keyring:set svc bob; echo exit=$?; sleep 30");
        try {
            // the value first, then the keyring's password, each asked once, as Python asks
            tmux.await("Password for 'bob' in 'svc':");
            tmux.type("the value");
            tmux.await("Repeat the password:");
            tmux.type("the value");
            tmux.await("Please set a password for your new keyring:");
            tmux.type("first choice");
            tmux.await("Please confirm the password:");
            tmux.type("a typo");
            tmux.await("Error: Your passwords didn't match");
            tmux.awaitTimes("Please set a password for your new keyring:", 2, 150);
            tmux.type("first choice");
            tmux.awaitTimes("Please confirm the password:", 2, 150);
            tmux.type("first choice");
            tmux.await("exit=0");
            assertEquals("the value is asked once", 1, tmux.screen().split("Password for 'bob'", -1).length - 1);
            String screen = tmux.screen();
            assertFalse("nothing typed is echoed:\n" + screen, screen.contains("first choice")
                    || screen.contains("a typo") || screen.contains("the value"));
        } finally {
            tmux.kill();
        }
        assertTrue(Files.exists(cryptfile));
        Map<String, String> env = new java.util.HashMap<>(dist.env());
        env.put("KEYRING_CRYPTFILE_PASSWORD", "first choice");
        Processes.Result get = Processes.run(dist.command("--no-agent", "keyring:get", "svc", "bob"), env, null);
        assertEquals(get.stderr, "the value\n", get.stdout);
    }

    /**
     * {@code keyring:unlock --cache} keeps the keyring files' password in the kernel
     * keyring, where the next commands, each its own Coffer, find it until it expires.
     */
    @Test
    public void aPasswordCachedInTheKernelKeyringUnlocksTheNextCommands() throws Exception {
        Distribution.require(Files.isExecutable(Path.of("/usr/bin/keyctl"))
                && Processes.run(List.of("/usr/bin/keyctl", "show", "@u"), Map.of(), null).exit == 0,
                "keyctl with a kernel keyring it may use (apt-get install keyutils; no seccomp filter on keyctl)");
        String service = "coffer-it-" + System.nanoTime();
        String settings = "password.service = " + service + "\npassword.username = keyring-password\n";
        Path etc = dist.home.resolve("etc");
        Files.writeString(etc.resolve("org.coffer.backend.cryptfile.cfg"), settings, StandardOpenOption.APPEND);
        Files.writeString(etc.resolve("org.coffer.backend.encryptedfile.cfg"), settings, StandardOpenOption.APPEND);
        assertEquals(0, dist.coffer("the value\n", "--no-agent", "keyring:set", "svc", "bob").exit);
        try {
            Processes.Result locked = dist.cofferWithoutPassword(null, "--no-agent", "keyring:get", "svc", "bob");
            assertEquals("without the password the keyring stays locked: " + locked.stderr, 1, locked.exit);
            Processes.Result unlock = dist.cofferWithoutPassword(Distribution.MASTER + "\n", "--no-agent",
                    "keyring:unlock", "--cache", "2m");
            assertEquals(unlock.stderr, 0, unlock.exit);
            Processes.Result key = Processes.run(List.of("/usr/bin/keyctl", "search", "@u", "user",
                    "coffer:" + service + ":keyring-password"), Map.of(), null);
            assertEquals("the kernel keyring holds the password: " + key.stderr, 0, key.exit);
            Processes.Result get = dist.cofferWithoutPassword(null, "--no-agent", "keyring:get", "svc", "bob");
            assertEquals(get.stderr, "the value\n", get.stdout);
        } finally {
            Processes.run(List.of("/bin/sh", "-c", "keyctl purge -s user 'coffer:" + service + ":keyring-password'"),
                    Map.of(), null);
        }
    }

    @Test
    public void aSecondInstanceWithTheSameAppConfigIsRefused() throws Exception {
        Path appConfig = dist.home.resolve("app.config");
        Files.writeString(appConfig, "[resilient]\nhost = example.com\n");
        Path lock = dist.home.resolve("circuits.lock");
        ProcessBuilder first = new ProcessBuilder(dist.home.resolve("bin/coffer").toString(), "run");
        first.environment().putAll(dist.env());
        first.environment().putAll(Map.of("COFFER_KEYRING_PASSWORD", Distribution.MASTER,
                "APP_CONFIG_FILE", appConfig.toString(), "APP_LOCK_FILE", lock.toString()));
        Process running = first.start();
        running.getOutputStream().close();
        try {
            Distribution.awaitLine(running.getErrorStream(), "running");
            Map<String, String> env = dist.env();
            env.putAll(Map.of("APP_CONFIG_FILE", appConfig.toString(), "APP_LOCK_FILE", lock.toString()));
            Processes.Result second = Processes.run(List.of(dist.home.resolve("bin/coffer").toString(), "run"), env, "");
            assertEquals(1, second.exit);
            assertTrue(second.stderr, second.stderr.contains("another instance may be running"));
        } finally {
            running.destroy();
            running.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    public void saysWhatToInstallWithoutBackends() throws IOException {
        try (Stream<Path> jars = Files.list(dist.home.resolve("deploy"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.delete(jar);
            }
        }
        Processes.Result get = dist.coffer(null, "keyring:get", "s", "u");
        assertEquals(1, get.exit);
        assertTrue(get.stderr, get.stderr.contains("No keyring backend is available"));
    }

    @Test
    public void swapsBackendsLiveWhenAJarLeavesOrEntersDeploy() throws Exception {
        Distribution.requireTmux();
        // the file keyrings only: without the kernel keyring, encryptedfile is next below cryptfile
        try (Stream<Path> jars = Files.list(dist.home.resolve("deploy"))) {
            for (Path other : (Iterable<Path>) jars.filter(p -> p.getFileName().toString().contains("keyctl"))::iterator) {
                Files.delete(other);
            }
        }
        Distribution.Tmux tmux = dist.new Tmux("coffer-it", dist.shellEnv() + " " + dist.home.resolve("bin/coffer"));
        try {
            tmux.await("g!");
            tmux.type("keyring:backends");
            tmux.await("* cryptfile");
            tmux.type("clear");
            Path jar;
            try (Stream<Path> jars = Files.list(dist.home.resolve("deploy"))) {
                jar = jars.filter(p -> p.getFileName().toString().contains("cryptfile")).findFirst().orElseThrow();
            }
            Path aside = dist.home.resolve(jar.getFileName());
            Files.move(jar, aside);
            tmux.expect("keyring:backends", "* encryptedfile");
            Files.move(aside, jar);
            tmux.expect("keyring:backends", "* cryptfile");
        } finally {
            tmux.kill();
        }
    }
}
