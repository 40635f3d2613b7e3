package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coffer.Secret;
import org.coffer.backend.plaintext.internal.PlaintextBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What Python users pay for the same read: Debian's Python keyring with keyrings.alt's
 * PlaintextKeyring, in a long-running Python process that answers one
 * {@code get_password} per line on a pipe (the pipe round trip is included), and the
 * {@code keyring get} command line, one process per read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PythonKeyringBenchmark {

    /** A keyring file of 100 secrets and a Python process reading it. */
    @State(Scope.Benchmark)
    public static class Python {
        Path dataHome;
        PythonServer server;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dataHome = Files.createTempDirectory("coffer-bench-python");
            PlaintextBackend plaintext = new PlaintextBackend(dataHome.resolve("python_keyring/keyring_pass.cfg"));
            for (int i = 0; i < 100; i++) {
                plaintext.set("service-" + i, "user", Secret.of("secret-" + i));
            }
            server = new PythonServer("import keyring", "keyring.get_password('service-42', 'user')", environment());
            if (!"secret-42".equals(server.ask())) {
                throw new IllegalStateException("Python keyring did not read the secret; is python3-keyrings.alt installed?");
            }
        }

        Map<String, String> environment() {
            return Map.of("XDG_DATA_HOME", dataHome.toString(),
                    "PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            server.close();
        }
    }

    @Benchmark
    public String pythonGetPassword(Python python) throws IOException {
        return python.server.ask();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int pythonKeyringCommandLine(Python python) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "keyring", "get", "service-42", "user");
        builder.environment().putAll(python.environment());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start().waitFor();
    }
}
