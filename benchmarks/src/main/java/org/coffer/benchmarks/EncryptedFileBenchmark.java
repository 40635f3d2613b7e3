package org.coffer.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.coffer.Secret;
import org.coffer.backend.cryptfile.internal.CryptFileBackend;
import org.coffer.backend.encryptedfile.internal.EncryptedFileBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A get from an unlocked encrypted keyring file, in Coffer and in Python on the same
 * file. Python derives a key for every value it reads (Argon2id for keyrings.cryptfile,
 * PBKDF2 for keyrings.alt's EncryptedKeyring); Coffer derives once per salt it meets.
 *
 * <p>keyrings.cryptfile is not packaged in Debian: its read path is timed with the
 * independent reader of the cryptfile tests ({@code cryptfile_peer.py}, the same Argon2
 * and AES-GCM calls), found through {@code -Dcoffer.peer=...} or from the repository root.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class EncryptedFileBenchmark {

    static final String PASSWORD = "benchmark password";

    /** Keyring files of 100 secrets written by Coffer, one of them written by Python. */
    @State(Scope.Benchmark)
    public static class Files2 {
        Path dir;
        CryptFileBackend cryptfile;
        EncryptedFileBackend encryptedfile;
        PythonServer pythonCryptfile;
        PythonServer pythonEncryptedfile;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("coffer-bench-encrypted");
            Map<String, String> env = Map.of("COFFER_KEYRING_PASSWORD", PASSWORD);
            cryptfile = new CryptFileBackend(dir.resolve("cryptfile_pass.cfg"), env, "", "");
            encryptedfile = new EncryptedFileBackend(dir.resolve("crypted_pass.cfg"), env, "", "");
            for (int i = 0; i < 100; i++) {
                cryptfile.set("service-" + i, "user", Secret.of("secret-" + i));
                encryptedfile.set("service-" + i, "user", Secret.of("secret-" + i));
            }
            Path peer = Path.of(System.getProperty("coffer.peer",
                    "bundles/backend-cryptfile/src/test/resources/cryptfile_peer.py")).toAbsolutePath();
            pythonCryptfile = new PythonServer("import runpy\npeer = runpy.run_path('" + peer + "')",
                    "peer['read']('" + dir.resolve("cryptfile_pass.cfg") + "', '" + PASSWORD + "', 'service-42', 'user')",
                    Map.of());
            pythonEncryptedfile = new PythonServer(String.join("\n",
                    "import getpass",
                    "from keyrings.alt.file import EncryptedKeyring",
                    "getpass.getpass = lambda prompt='': '" + PASSWORD + "'",
                    "k = EncryptedKeyring()",
                    "k.file_path = '" + dir.resolve("crypted_pass.cfg") + "'"),
                    "k.get_password('service-42', 'user')", Map.of());
            check("secret-42", pythonCryptfile.ask());
            check("secret-42", pythonEncryptedfile.ask());
        }

        private static void check(String expected, String actual) {
            if (!expected.equals(actual)) {
                throw new IllegalStateException("Python read '" + actual + "'");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            pythonCryptfile.close();
            pythonEncryptedfile.close();
        }
    }

    @Benchmark
    public Optional<Secret> cofferCryptfileGet(Files2 files) {
        return files.cryptfile.get("service-42", "user");
    }

    @Benchmark
    public Optional<Secret> cofferEncryptedfileGet(Files2 files) {
        return files.encryptedfile.get("service-42", "user");
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public String pythonCryptfileGet(Files2 files) throws Exception {
        return files.pythonCryptfile.ask();
    }

    @Benchmark
    public String pythonEncryptedKeyringGet(Files2 files) throws Exception {
        return files.pythonEncryptedfile.ask();
    }
}
