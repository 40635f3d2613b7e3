package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.backend.secretservice.internal.SecretServiceBackend;
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
 * A get from gnome-keyring's Secret Service on a private bus: Coffer (one connection and
 * one encrypted session, reused), Python's keyring in a long-running interpreter (a new
 * connection and session per call, as the library does), and {@code secret-tool lookup}
 * as a process per look-up, as shell scripts use it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class SecretServiceBenchmark {

    /** A private bus and gnome-keyring holding 100 secrets. */
    @State(Scope.Benchmark)
    public static class Daemon {
        SecretServiceDaemon daemon;
        SecretServiceBackend coffer;
        PythonServer python;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            daemon = SecretServiceDaemon.start(Files.createTempDirectory("coffer-bench-secretservice"), "benchmark");
            coffer = new SecretServiceBackend(daemon.address(), "dh-ietf1024-sha256-aes128-cbc-pkcs7",
                    "Python keyring library", "default", "COFFER_KEYRING_PASSWORD", Map.of(), Duration.ofSeconds(5),
                    "secretservice");
            for (int i = 0; i < 100; i++) {
                coffer.set("service-" + i, "user", Secret.of("secret-" + i));
            }
            Map<String, String> env = new HashMap<>(daemon.environment());
            env.put("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring");
            python = new PythonServer("import keyring", "keyring.get_password('service-42', 'user')", env);
            check(python.ask());
            check(secretTool());
        }

        String secretTool() throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder("/usr/bin/secret-tool", "lookup", "service", "service-42",
                    "username", "user");
            builder.environment().putAll(daemon.environment());
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        }

        private static void check(String actual) {
            if (!"secret-42".equals(actual)) {
                throw new IllegalStateException("the peer did not read the secret Coffer stored");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            python.close();
            daemon.close();
        }
    }

    @Benchmark
    public Optional<Secret> cofferGet(Daemon d) {
        return d.coffer.get("service-42", "user");
    }

    @Benchmark
    public String pythonKeyringGet(Daemon d) throws IOException {
        return d.python.ask();
    }

    @Benchmark
    public String secretToolLookup(Daemon d) throws Exception {
        return d.secretTool();
    }
}
