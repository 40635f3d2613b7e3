package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/**
 * The README's Karaf steps, followed as a user follows them: a stock Karaf 4.4 unpacked
 * from its archive, Coffer's features repository added and its {@code coffer} feature
 * installed from Karaf's console, then a secret typed at {@code keyring:set} (without
 * echo) and read back with {@code keyring:get}, and one piped to it inside the shell,
 * all in a terminal under tmux.
 */
public class KarafDistributionIT {

    private static final String SECRET = "typed in karaf";
    private static final String PIPED = "piped-in-karaf";

    @Rule
    public final Distribution dist = new Distribution();

    @Test
    public void theFeaturesInstallInAStockKarafAndItsConsoleSetsAndGetsASecret() throws Exception {
        Distribution.requireTmux();
        Path karaf = unpack();
        String version = System.getProperty("coffer.version");
        // (Karaf's JVM on C1 and the serial collector, through its own EXTRA_JAVA_OPTS: the test run's two cores)
        Distribution.Tmux tmux = dist.new Tmux("karaf", dist.shellEnv()
                + " EXTRA_JAVA_OPTS='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC' " + karaf.resolve("bin/karaf"));
        try {
            tmux.await("karaf@root()>", 1200);
            tmux.type("feature:repo-add mvn:org.coffer/coffer-features/" + version + "/xml/features");
            tmux.type("feature:install coffer");
            // the commands register once SCR has activated the installed bundles: typed again until they answer
            tmux.expect("keyring:backends", "* cryptfile");
            tmux.type("keyring:set example.com alice");
            tmux.await("Password for 'alice' in 'example.com':");
            tmux.type(SECRET);
            tmux.await("Repeat the password:");
            String asked = tmux.screen();
            assertFalse("the typed secret was echoed: " + asked, asked.contains(SECRET));
            tmux.type(SECRET);
            tmux.type("clear");
            tmux.type("keyring:get example.com alice");
            tmux.await(SECRET);
            // a value piped inside the shell is the command's own input, asked nothing
            tmux.type("echo " + PIPED + " | keyring:set example.com bob");
            tmux.type("clear");
            tmux.type("keyring:get example.com bob");
            tmux.await(PIPED);
            tmux.type("shutdown -f");
        } finally {
            tmux.kill();
            stopKaraf(karaf);
        }
        // what Karaf wrote, Coffer's own command line reads: the same cryptfile keyring
        Processes.Result get = dist.coffer(null, "--no-agent", "keyring:get", "example.com", "alice");
        assertEquals(get.stderr, 0, get.exit);
        assertEquals(SECRET, get.stdout.strip());
    }

    /**
     * Karaf's JVM outlives the terminal when the test fails before {@code shutdown -f}
     * (it ignores the hang-up): stopped here by its process id, found by its home.
     */
    private static void stopKaraf(Path karaf) throws Exception {
        List<String> homes = List.of("-Dkaraf.home=" + karaf, "-Dkaraf.home=" + karaf.toRealPath());
        for (ProcessHandle process : ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(line -> homes.stream().anyMatch(line::contains)).orElse(false)).toList()) {
            process.destroy();
            try {
                process.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
            }
        }
    }

    /** Karaf from the archive the build downloaded, its Maven resolver also looking where the build laid Coffer out. */
    private Path unpack() throws Exception {
        Path archive = Path.of(System.getProperty("coffer.karaf.archive"));
        Path into = Files.createDirectories(dist.home.getParent().resolve("karaf"));
        Processes.Result tar = Processes.run(List.of("tar", "xzf", archive.toString(), "-C", into.toString(),
                "--strip-components=1"), Map.of(), null);
        assertEquals(tar.stderr, 0, tar.exit);
        Path mvn = into.resolve("etc/org.ops4j.pax.url.mvn.cfg");
        assertTrue(Files.exists(mvn));
        Files.writeString(mvn, "\norg.ops4j.pax.url.mvn.defaultRepositories = "
                + "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots, "
                + "file:" + System.getProperty("coffer.karaf.repository") + "@id=coffer@snapshots\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return into;
    }
}
