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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@code bin/coffer keyring:set} killed with SIGKILL at random moments, on the plaintext
 * and the cryptfile keyring, and Python's {@code keyring set} killed the same way on the
 * plaintext file. Afterwards no file is corrupt, no acknowledged write is lost, and the
 * next write leaves no temporary file. The figures go to {@code target/crash-report.txt}.
 */
public class CrashIT {

    private static final int KILLS = 50;

    @Rule
    public final Distribution dist = new Distribution();

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    /** What the kills of one writer did. */
    private static final class Tally {
        final String what;
        final Map<String, String> acknowledged = new LinkedHashMap<>();
        final Map<String, String> attempted = new LinkedHashMap<>();
        int killed;

        Tally(String what) {
            this.what = what;
        }
    }

    @Test
    public void killedPlaintextWritesLoseNothingAcknowledgedAndLeaveNoTemporaryFile() throws Exception {
        Map<String, String> env = env("keyrings.alt.file.PlaintextKeyring");
        Tally coffer = killRepeatedly("Coffer, plaintext", env, i -> dist.command("keyring:set", "crash", "user" + i));
        check(coffer, env, "keyring_pass.cfg");
        Tally python = killRepeatedly("Python keyring, plaintext", env, i -> List.of(Peers.PYTHON.toString(), "-m",
                "keyring", "set", "python crash", "user" + i));
        report(python, pythonLost(python, env), "-");
    }

    @Test
    public void killedCryptfileWritesLoseNothingAcknowledgedAndLeaveNoTemporaryFile() throws Exception {
        Map<String, String> env = env("keyrings.cryptfile.cryptfile.CryptFileKeyring");
        env.put("COFFER_KEYRING_PASSWORD", Distribution.MASTER);
        Tally coffer = killRepeatedly("Coffer, cryptfile", env, i -> dist.command("keyring:set", "crash", "user" + i));
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
     * Every fifth write runs to its end and gives the time a write takes now; the others
     * are killed at a random moment within that time.
     */
    private Tally killRepeatedly(String what, Map<String, String> env, Command command) throws Exception {
        Tally tally = new Tally(what);
        long start = System.nanoTime();
        Processes.Result first = Processes.run(command.of(-1), env, "warm-up\n");
        assertEquals(first.stderr, 0, first.exit);
        long millis = Math.max(50, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        for (int i = 0; i < KILLS; i++) {
            String value = "value " + i + " " + random.nextInt();
            tally.attempted.put("user" + i, value);
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
            boolean toTheEnd = i % 5 == 4;
            long moment = toTheEnd ? TimeUnit.MINUTES.toMillis(2) : (long) (random.nextDouble() * millis * 1.2);
            if (process.waitFor(moment, TimeUnit.MILLISECONDS)) {
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
        }
        return tally;
    }

    /** Reads every entry back in one Coffer command, then writes once more and counts what is left. */
    private void check(Tally tally, Map<String, String> env, String fileName) throws Exception {
        Path folder = dist.dataHome.resolve("python_keyring");
        long leftByKills = temporaries(folder, fileName);
        StringBuilder gets = new StringBuilder();
        for (String user : tally.attempted.keySet()) {
            gets.append("keyring:get --json crash ").append(user).append("; ");
        }
        Processes.Result read = Processes.run(dist.command("-c", gets.toString()), env, null);
        Map<String, String> found = new HashMap<>();
        for (String line : read.stdout.split("\n")) {
            if (line.startsWith("{")) {
                String user = line.replaceFirst(".*\"username\": ?\"([^\"]*)\".*", "$1");
                found.put(user, line.replaceFirst(".*\"password\": ?\"([^\"]*)\".*", "$1"));
            }
        }
        int corrupt = 0;
        for (String failure : read.stderr.split("\n")) {
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
        assertTrue("the kills hit writes in flight", tally.killed > 0);
        assertEquals("reads that failed: " + read.stderr, 0, corrupt);
        assertEquals("acknowledged writes lost", 0, lost);
        assertEquals("values never written", 0, wrong);
        assertEquals("temporary files after the next write", 0, leftAfterNextWrite);
    }

    /** Python keeps no lock and writes in place: the acknowledged entries it no longer has. */
    private int pythonLost(Tally python, Map<String, String> env) {
        StringBuilder script = new StringBuilder("import keyring\nlost = 0\n");
        for (Map.Entry<String, String> write : python.acknowledged.entrySet()) {
            script.append("lost += keyring.get_password('python crash', '").append(write.getKey()).append("') != '")
                    .append(write.getValue()).append("'\n");
        }
        script.append("print(lost)\n");
        Processes.Result result = Processes.run(List.of(Peers.PYTHON.toString(), "-c", script.toString()), env, null);
        return result.exit == 0 ? Integer.parseInt(result.stdout.trim()) : -1;
    }

    private static long temporaries(Path folder, String fileName) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith("." + fileName)
                    && f.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    private void report(Tally tally, int lost, String more) throws IOException {
        String line = String.format("%s: %d writes, %d killed, %d acknowledged, %d acknowledged lost%s; seed %d%n",
                tally.what, KILLS, tally.killed, tally.acknowledged.size(), lost,
                "-".equals(more) ? "" : ", " + more, seed);
        System.out.print(line);
        Path report = Path.of("target/crash-report.txt");
        Files.writeString(report, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
