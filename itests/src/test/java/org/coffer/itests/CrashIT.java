package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@code bin/coffer keyring:set} killed with SIGKILL inside its write, on the plaintext
 * and the cryptfile keyring, and Python's {@code keyring set} killed at random moments on
 * the plaintext file. Afterwards no file is corrupt, no acknowledged write is lost, and the
 * next write leaves no temporary file. The figures go to {@code target/crash-report.txt}.
 */
public class CrashIT {

    /**
     * Coffer's writes killed on the plaintext keyring, each at the write itself (a random
     * moment of the two milliseconds after its temporary file appears); every fifth write
     * besides runs to its end.
     */
    private static final int KILLS = 14;
    /** Python's writes killed on the plaintext file, at random moments: a Python start costs little. */
    private static final int PYTHON_KILLS = 20;
    /**
     * Writes killed on the cryptfile keyring: each costs two Argon2id runs of keyrings.cryptfile's
     * parameters (seconds here), so fewer, and every one aimed at the write itself.
     */
    private static final int CRYPTFILE_KILLS = 6;
    /** The most writes a series makes to reach its kills: a kill may come after the write ended. */
    private static final int MOST_WRITES = 300;

    @Rule
    public final Distribution dist = new Distribution();

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    /** What the kills of one writer did. */
    private static final class Tally {
        final String what;
        final Map<String, String> acknowledged = new LinkedHashMap<>();
        final Map<String, String> attempted = new LinkedHashMap<>();
        int writes;
        int killed;
        int killedAtTheWrite;
        int target;

        Tally(String what) {
            this.what = what;
        }
    }

    @Test
    public void killedPlaintextWritesLoseNothingAcknowledgedAndLeaveNoTemporaryFile() throws Exception {
        Map<String, String> env = env("keyrings.alt.file.PlaintextKeyring");
        Tally coffer = killRepeatedly("Coffer, plaintext", env, KILLS, "keyring_pass.cfg", i -> dist.command("keyring:set", "crash", "user" + i));
        check(coffer, env, "keyring_pass.cfg");
        Tally python = killRepeatedly("Python keyring, plaintext", env, PYTHON_KILLS, null, i -> List.of(Peers.PYTHON.toString(), "-m",
                "keyring", "set", "python crash", "user" + i));
        int[] lostAndFailed = pythonLostAndFailed(python, env);
        report(python, lostAndFailed[0], lostAndFailed[1] + " errors on read, 0 temporary files (it writes in place)");
    }

    @Test
    public void killedCryptfileWritesLoseNothingAcknowledgedAndLeaveNoTemporaryFile() throws Exception {
        Map<String, String> env = env("keyrings.cryptfile.cryptfile.CryptFileKeyring");
        env.put("COFFER_KEYRING_PASSWORD", Distribution.MASTER);
        Tally coffer = killRepeatedly("Coffer, cryptfile", env, CRYPTFILE_KILLS, "cryptfile_pass.cfg", i -> dist.command("keyring:set", "crash", "user" + i));
        check(coffer, env, "cryptfile_pass.cfg");
    }

    private Map<String, String> env(String pythonBackend) {
        Map<String, String> env = new HashMap<>(dist.env());
        env.put("PYTHON_KEYRING_BACKEND", pythonBackend);
        return env;
    }

    private interface Command {
        List<String> of(int i);
    }

    /**
     * Every fifth write runs to its end and gives the time a write takes now. When
     * {@code aimed} names the keyring file, every other write is killed the moment its
     * temporary file appears (the write itself: rename, flush and lock within a few
     * milliseconds after); otherwise at a random moment within the time a write takes.
     *
     * @param aimed the keyring file whose writes are aimed at, or {@code null} for random moments only
     */
    private Tally killRepeatedly(String what, Map<String, String> env, int kills, String aimed, Command command)
            throws Exception {
        Tally tally = new Tally(what);
        tally.target = kills;
        Path folder = dist.dataHome.resolve("python_keyring");
        long start = System.nanoTime();
        Processes.Result first = Processes.run(command.of(-1), env, "warm-up\n");
        assertEquals(first.stderr, 0, first.exit);
        long millis = Math.max(50, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        for (int i = 0; tally.killed < kills && i < MOST_WRITES; i++) {
            tally.writes++;
            String value = "value " + i + " " + random.nextInt();
            tally.attempted.put("user" + i, value);
            boolean toTheEnd = i % 5 == 4;
            boolean atTheWrite = !toTheEnd && aimed != null;
            Set<Path> before = atTheWrite ? temporaryFiles(folder, aimed) : Set.of();
            ProcessBuilder builder = new ProcessBuilder(command.of(i));
            builder.environment().putAll(env);
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write((value + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException exitedAlready) {
                // it reads nothing more once killed
            }
            long began = System.nanoTime();
            boolean ended;
            if (atTheWrite) {
                ended = !awaitNewTemporary(process, folder, aimed, before, TimeUnit.MINUTES.toNanos(2));
                if (!ended) {
                    // somewhere in the write: a random moment of the next two milliseconds
                    long moment = System.nanoTime() + (long) (random.nextDouble() * 2_000_000);
                    while (System.nanoTime() < moment) {
                        Thread.onSpinWait();
                    }
                    ended = !process.isAlive();
                }
            } else {
                long moment = toTheEnd ? TimeUnit.MINUTES.toMillis(2) : (long) (random.nextDouble() * millis * 1.2);
                ended = process.waitFor(moment, TimeUnit.MILLISECONDS);
            }
            if (ended) {
                process.waitFor();
                if (toTheEnd) {
                    assertEquals(what + ": a write that was not killed", 0, process.exitValue());
                    millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                }
                if (process.exitValue() == 0) {
                    tally.acknowledged.put("user" + i, value);
                }
                continue;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            tally.killed++;
            if (atTheWrite) {
                tally.killedAtTheWrite++;
            }
        }
        return tally;
    }

    /**
     * Polls the folder for a temporary file the writer makes (there is no notification of a
     * file appearing that Java offers without a watch service's latency).
     *
     * @return whether one appeared before the process ended
     */
    private static boolean awaitNewTemporary(Process process, Path folder, String fileName, Set<Path> before,
            long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        java.nio.file.attribute.FileTime seen = null;
        long listUntil = 0;
        while (process.isAlive() && System.nanoTime() < deadline) {
            // one stat a look: the folder is listed when its time says a name came or went, and for
            // 20 ms after (the kernel's file times are coarse: a second name may come within one tick)
            java.nio.file.attribute.FileTime changed = Files.isDirectory(folder) ? Files.getLastModifiedTime(folder) : null;
            if (changed != null && !changed.equals(seen)) {
                seen = changed;
                listUntil = System.nanoTime() + 20_000_000;
            }
            if (System.nanoTime() < listUntil && !before.containsAll(temporaryFiles(folder, fileName))) {
                return true;
            }
            // a tenth of a millisecond between looks leaves the cores to the writer (two Argon2 lanes)
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        return false;
    }

    /** Reads every entry back in one Coffer command, then writes once more and counts what is left. */
    private void check(Tally tally, Map<String, String> env, String fileName) throws Exception {
        Path folder = dist.dataHome.resolve("python_keyring");
        long leftByKills = temporaries(folder, fileName);
        // ten gets a command: a cryptfile get costs an Argon2id run, and a command has its time limit
        Map<String, String> found = new HashMap<>();
        StringBuilder errors = new StringBuilder();
        List<String> users = new ArrayList<>(tally.attempted.keySet());
        for (int from = 0; from < users.size(); from += 10) {
            StringBuilder gets = new StringBuilder();
            for (String user : users.subList(from, Math.min(from + 10, users.size()))) {
                gets.append("keyring:get --json crash ").append(user).append("; ");
            }
            Processes.Result read = Processes.run(dist.command("-c", gets.toString()), env, null);
            for (String line : read.stdout.split("\n")) {
                if (line.startsWith("{")) {
                    String user = line.replaceFirst(".*\"username\": ?\"([^\"]*)\".*", "$1");
                    found.put(user, line.replaceFirst(".*\"password\": ?\"([^\"]*)\".*", "$1"));
                }
            }
            errors.append(read.stderr);
        }
        int corrupt = 0;
        for (String failure : errors.toString().split("\n")) {
            if (!failure.isBlank() && !failure.contains("no password for")) {
                corrupt++;
            }
        }
        int lost = 0;
        for (Map.Entry<String, String> write : tally.acknowledged.entrySet()) {
            if (!write.getValue().equals(found.get(write.getKey()))) {
                lost++;
            }
        }
        int wrong = 0;
        for (Map.Entry<String, String> entry : found.entrySet()) {
            if (!entry.getValue().equals(tally.attempted.get(entry.getKey()))) {
                wrong++;
            }
        }
        Processes.Result next = Processes.run(dist.command("keyring:set", "crash", "after"), env, "after\n");
        assertEquals(next.stderr, 0, next.exit);
        long leftAfterNextWrite = temporaries(folder, fileName);
        report(tally, lost, corrupt + " errors on read, " + wrong + " values that were never written, "
                + leftByKills + " temporary files left by the kills, " + leftAfterNextWrite + " after the next write");
        assertEquals("writes killed in flight", tally.target, tally.killed);
        assertTrue("writes killed in the write itself: " + tally.killedAtTheWrite, tally.killedAtTheWrite > 0);
        assertEquals("reads that failed: " + errors, 0, corrupt);
        assertEquals("acknowledged writes lost", 0, lost);
        assertEquals("values never written", 0, wrong);
        assertEquals("temporary files after the next write", 0, leftAfterNextWrite);
    }

    /**
     * Python keeps no lock and writes in place: the acknowledged entries it no longer has,
     * and the reads that failed (a file left torn by a kill).
     */
    private int[] pythonLostAndFailed(Tally python, Map<String, String> env) {
        StringBuilder script = new StringBuilder("import keyring\nlost = failed = 0\n");
        for (Map.Entry<String, String> write : python.acknowledged.entrySet()) {
            script.append("try:\n    lost += keyring.get_password('python crash', '").append(write.getKey())
                    .append("') != '").append(write.getValue()).append("'\nexcept Exception:\n    failed += 1\n");
        }
        script.append("print(lost, failed)\n");
        Processes.Result result = Processes.run(List.of(Peers.PYTHON.toString(), "-c", script.toString()), env, null);
        assertEquals(result.stderr, 0, result.exit);
        String[] counts = result.stdout.trim().split(" ");
        return new int[] {Integer.parseInt(counts[0]), Integer.parseInt(counts[1])};
    }

    private static long temporaries(Path folder, String fileName) throws IOException {
        return temporaryFiles(folder, fileName).size();
    }

    private static Set<Path> temporaryFiles(Path folder, String fileName) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith("." + fileName)
                    && f.getFileName().toString().endsWith(".tmp")).collect(java.util.stream.Collectors.toSet());
        }
    }

    private void report(Tally tally, int lost, String more) throws IOException {
        String line = String.format("%s: %d writes, %d killed (%d at the write), %d acknowledged, %d acknowledged lost%s;"
                + " seed %d%n", tally.what, tally.writes, tally.killed, tally.killedAtTheWrite, tally.acknowledged.size(),
                lost, "-".equals(more) ? "" : ", " + more, seed);
        System.out.print(line);
        Path report = Path.of("target/crash-report.txt");
        Files.writeString(report, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
