package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coffer.Secret;
import org.coffer.backend.plaintext.internal.PlaintextBackend;
import org.coffer.provider.internal.KeyringProvider;
import org.coffer.provider.internal.ProviderConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.util.converter.Converters;

/**
 * A secret read through the credential provider from the plaintext backend (the file
 * Python's keyrings.alt uses), alone and while another backend is bound and unbound
 * continuously.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProviderBenchmark {

    /** A provider over a plaintext keyring file holding 100 secrets. */
    @State(Scope.Benchmark)
    public static class Keyring {
        Path dir;
        KeyringProvider provider;
        PlaintextBackend plaintext;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("coffer-bench");
            ProviderConfig config = Converters.standardConverter().convert(Map.of()).to(ProviderConfig.class);
            provider = KeyringProvider.alone(config);
            plaintext = new PlaintextBackend(dir.resolve("keyring_pass.cfg"));
            provider.addBackend(plaintext, Map.of("service.ranking", 50, "service.id", 1L));
            for (int i = 0; i < 100; i++) {
                plaintext.set("service-" + i, "user", Secret.of("secret-" + i));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The same, with a thread that binds and unbinds a higher-ranked backend without pause. */
    @State(Scope.Benchmark)
    public static class SwappingKeyring extends Keyring {
        private final AtomicBoolean swapping = new AtomicBoolean();
        private Thread swapper;

        @Setup(Level.Trial)
        public void startSwapping() throws IOException {
            PlaintextBackend other = new PlaintextBackend(dir.resolve("other.cfg"), "other");
            swapping.set(true);
            swapper = new Thread(() -> {
                while (swapping.get()) {
                    provider.addBackend(other, Map.of("service.ranking", 250, "service.id", 2L));
                    provider.removeBackend(other);
                }
            }, "swapper");
            swapper.setDaemon(true);
            swapper.start();
        }

        @TearDown(Level.Trial)
        public void stopSwapping() throws InterruptedException {
            swapping.set(false);
            swapper.join();
        }
    }

    @Benchmark
    public Optional<Secret> providerGet(Keyring keyring) {
        return keyring.provider.keyrings().get("service-42", "user");
    }

    @Benchmark
    public Optional<Secret> providerGetWhileSwapping(SwappingKeyring keyring) {
        return keyring.provider.keyrings().get("service-42", "user");
    }
}
