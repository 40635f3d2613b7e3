package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.coffer.KeyringEntry;
import org.coffer.files.IniFile;
import org.coffer.test.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coffer's writes beside a program that rewrites the keyring file in place without a lock,
 * as Python's keyrings.alt does (read, truncate, write): every entry the other program
 * wrote is still there afterwards, and every one of Coffer's writes lands.
 */
class KeyringFileBesideInPlaceWriterTest {

    /**
     * Sets entries {@code <prefix><i>} in service 'python' every {@code argv[1]} s, printing each, for at least
     * {@code argv[2]} s and at least {@code argv[4]} entries (a loaded machine slows Python, not the test's reach).
     */
    static final String PYTHON_LOOP = String.join("\n",
            "import sys, time",
            "from keyrings.alt.file import PlaintextKeyring",
            "k = PlaintextKeyring()",
            "interval, end, prefix = float(sys.argv[1]), time.time() + float(sys.argv[2]), sys.argv[3]",
            "least = int(sys.argv[4])",
            "i = 0",
            "while time.time() < end or i < least:",
            "    k.set_password('python', prefix + str(i), 'value' + str(i))",
            "    print(prefix + str(i), flush=True)",
            "    i += 1",
            "    time.sleep(interval)",
            "");

    private static final int BIG = 3000;

    private static final int PYTHON_WRITES = 40;

    @TempDir
    Path dir;

    @Test
    void aThreadRewritingTheFileInPlaceEveryMillisecondLosesNothingToCoffer() throws Exception {
        Path file = dir.resolve("keyring_pass.cfg");
        new KeyringFileStore(file).put("coffer", "seed", "\nYWJj");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> written = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread inPlace = new Thread(() -> {
            try {
                for (int i = 0; running.get(); i++) {
                    IniFile ini = IniFile.parse(file, Files.readString(file));
                    ini.set("python", "j" + i, "\nYWJj");
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        channel.write(ByteBuffer.wrap(ini.render().getBytes(StandardCharsets.UTF_8)));
                    }
                    written.add("j" + i);
                    Thread.sleep(1); // the other program's pace
                }
            } catch (Exception e) {
                failed.set(e);
            }
        }, "in-place writer");
        inPlace.start();
        List<String> coffer = new ArrayList<>();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (int i = 0; System.nanoTime() < end || i < 5; i++) {
                new KeyringFileStore(file).put("coffer", "c" + i, "\nYWJj");
                coffer.add("c" + i);
            }
        } finally {
            running.set(false);
            inPlace.join();
        }
        assertThat(failed.get()).isNull();
        assertThat(written).hasSizeGreaterThan(100);
        assertThat(users(file, "python")).containsAll(written);
        report("a thread writing in place every 1 ms", written.size(), coffer, file);
    }

    @Test
    void pythonsKeyringWritingEveryFiveMillisecondsLosesNothingToCoffer() throws Exception {
        besidePython(0);
    }

    /** Python writes a file over 8 KiB in parts, and rewrites it for longer than it pauses. */
    @Test
    void pythonsKeyringWritingABigFileInPartsLosesNothingToCoffer() throws Exception {
        besidePython(BIG);
    }

    private void besidePython(int big) throws Exception {
        Peers.requirePython("python3-keyrings.alt", "keyrings.alt.file");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = KeyringFileStore.pythonDataFile(Map.of("XDG_DATA_HOME", data.toString()), "keyring_pass.cfg");
        // when big, Python's every write reaches the disk in several parts of 8 KiB
        new KeyringFileStore(file).update(ini -> {
            for (int i = 0; i < big; i++) {
                ini.set("big", "b" + i, "\nYWJj");
            }
            ini.set("coffer", "seed", "\nYWJj");
            return Boolean.TRUE;
        });
        ProcessBuilder builder = new ProcessBuilder(Peers.PYTHON.toString(), "-c", PYTHON_LOOP, "0.005", "4", "p",
                String.valueOf(PYTHON_WRITES));
        builder.environment().put("XDG_DATA_HOME", data.toString());
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process python = builder.start();
        List<String> acknowledged = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (acknowledged) {
                        acknowledged.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, "python's output");
        reader.start();
        List<String> coffer = new ArrayList<>();
        for (int i = 0; python.isAlive(); i++) {
            new KeyringFileStore(file).put("coffer", "c" + i, "\nYWJj");
            coffer.add("c" + i);
        }
        reader.join();
        assertThat(python.waitFor()).isZero();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(PYTHON_WRITES);
        assertThat(coffer).hasSizeGreaterThan(3);
        assertThat(users(file, "python")).containsAll(acknowledged);
        assertThat(users(file, "big")).hasSize(big);
        report("Python's keyring writing every 5 ms beside " + big + " entries", acknowledged.size(), coffer, file);
    }

    private static Set<String> users(Path file, String service) throws Exception {
        return new KeyringFileStore(file).entries(null).stream().filter(e -> e.service().equals(service))
                .map(KeyringEntry::username).collect(Collectors.toSet());
    }

    /** Coffer's entries the other program's unlocked rewrites dropped: Coffer cannot prevent that, so only counted. */
    private static void report(String what, int theirs, List<String> coffer, Path file) throws Exception {
        Set<String> kept = users(file, "coffer");
        long lost = coffer.stream().filter(user -> !kept.contains(user)).count();
        System.out.printf("%s: %d of its entries written, 0 lost; %d of Coffer's writes, %d of them dropped by its"
                + " rewrites%n", what, theirs, coffer.size(), lost);
    }
}
