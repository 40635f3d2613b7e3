package org.coffer.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.coffer.Secret;
import org.coffer.backend.cryptfile.internal.CryptFileBackend;
import org.coffer.backend.keyctl.internal.KeyDescription;
import org.coffer.backend.keyctl.internal.Keyctl;
import org.coffer.backend.keyctl.internal.KeyctlBackend;
import org.coffer.backend.keyctl.internal.LibKeyutils;
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
 * A get from the kernel keyring: through the backend, as the two JNA calls alone
 * (search and read, the JNA share of a get), beside {@code keyctl pipe} in a process of
 * its own (what a script without Coffer runs) and beside a get from the unlocked
 * cryptfile keyring. Each with 100 secrets stored. In this package to reach the JNA
 * binding.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class KeyctlBenchmark {

    /** A keyring of its own and a cryptfile, each with 100 secrets. */
    @State(Scope.Benchmark)
    public static class Stores {
        LibKeyutils keyctl;
        int keyring;
        KeyctlBackend backend;
        String serialOfOne;
        Path dir;
        CryptFileBackend cryptfile;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            keyctl = LibKeyutils.load();
            keyring = keyctl.addKeyring(Keyctl.USER, "coffer-benchmark-" + System.nanoTime());
            backend = new KeyctlBackend(keyctl, String.valueOf(keyring), 0, "keyctl");
            dir = Files.createTempDirectory("coffer-bench-keyctl");
            cryptfile = new CryptFileBackend(dir.resolve("cryptfile_pass.cfg"),
                    Map.of("COFFER_KEYRING_PASSWORD", "benchmark password"), "", "");
            for (int i = 0; i < 100; i++) {
                backend.set("service-" + i, "user", Secret.of("secret-" + i));
                cryptfile.set("service-" + i, "user", Secret.of("secret-" + i));
            }
            serialOfOne = String.valueOf(keyctl.search(keyring, KeyDescription.of("service-42", "user")).orElseThrow());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            keyctl.invalidate(keyring);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public Optional<Secret> keyctlGet(Stores s) {
        Optional<Secret> secret = s.backend.get("service-42", "user");
        secret.ifPresent(Secret::destroy);
        return secret;
    }

    @Benchmark
    public byte[] jnaSearchAndRead(Stores s) {
        return s.keyctl.read(s.keyctl.search(s.keyring, "coffer:service-42:user").orElseThrow());
    }

    @Benchmark
    public Optional<Secret> cryptfileGet(Stores s) {
        Optional<Secret> secret = s.cryptfile.get("service-42", "user");
        secret.ifPresent(Secret::destroy);
        return secret;
    }

    @Benchmark
    public int keyctlPipeProcess(Stores s) throws Exception {
        Process process = new ProcessBuilder("/usr/bin/keyctl", "pipe", s.serialOfOne)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}
