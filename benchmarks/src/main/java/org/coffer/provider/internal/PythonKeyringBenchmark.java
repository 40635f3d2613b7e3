package org.coffer.provider.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final String SERVER = String.join("\n",
            "import sys, keyring",
            "for line in sys.stdin:",
            "    sys.stdout.write(str(keyring.get_password('service-42', 'user')) + '\\n')",
            "    sys.stdout.flush()");

    /** A keyring file of 100 secrets and a Python process reading it. */
    @State(Scope.Benchmark)
    public static class Python {
        Path dataHome;
        Process process;
        OutputStream toPython;
        BufferedReader fromPython;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dataHome = Files.createTempDirectory("coffer-bench-python");
            PlaintextBackend plaintext = new PlaintextBackend(dataHome.resolve("python_keyring/keyring_pass.cfg"));
            for (int i = 0; i < 100; i++) {
                plaintext.set("service-" + i, "user", Secret.of("secret-" + i));
            }
            ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-c", SERVER);
            environment(builder);
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            process = builder.start();
            toPython = process.getOutputStream();
            fromPython = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            if (!"secret-42".equals(ask())) {
                throw new IllegalStateException("Python keyring did not read the secret; is python3-keyrings.alt installed?");
            }
        }

        void environment(ProcessBuilder builder) {
            builder.environment().put("XDG_DATA_HOME", dataHome.toString());
            builder.environment().put("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        }

        String ask() throws IOException {
            toPython.write('\n');
            toPython.flush();
            return fromPython.readLine();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            toPython.close();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    public String pythonGetPassword(Python python) throws IOException {
        return python.ask();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int pythonKeyringCommandLine(Python python) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "keyring", "get", "service-42", "user");
        python.environment(builder);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start().waitFor();
    }
}
