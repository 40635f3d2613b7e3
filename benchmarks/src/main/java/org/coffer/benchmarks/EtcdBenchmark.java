package org.coffer.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.coffer.Secret;
import org.coffer.backend.etcd.fixture.EtcdCluster;
import org.coffer.backend.etcd.internal.EtcdBackend;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A get from the etcd backend's watched copy, beside what a client without a copy pays
 * for the same key: a linearizable range read through etcd's JSON gateway, and {@code
 * etcdctl get} in a process of its own, as a shell script calls it. Then the start of a
 * backend on a prefix of 10,000 secrets, and the heap its copy keeps. One etcd member on
 * loopback (Debian's etcd 3.4), started by the test fixture.
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EtcdBenchmark {

    static final int SECRETS = 10_000;

    /** One member, a backend with one entry, and a prefix of 10,000 secrets. */
    @State(Scope.Benchmark)
    public static class Cluster {
        Path dir;
        EtcdCluster cluster;
        EtcdBackend backend;
        Path kek;
        String entryKey;
        HttpClient http;
        HttpRequest range;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("coffer-bench-etcd");
            cluster = EtcdCluster.start(dir.resolve("cluster"), 1);
            kek = dir.resolve("kek");
            backend = open("/bench");
            backend.set("bench", "alice", Secret.of("benchmark value"));
            entryKey = new ArrayList<>(cluster.getPrefix("/bench/v1/").keySet()).get(0);
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(entryKey.getBytes(StandardCharsets.UTF_8))
                    + "\"}";
            range = HttpRequest.newBuilder(URI.create(cluster.endpoints().get(0) + "/v3/kv/range"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            fill();
            measureTheCopy();
        }

        /** An approximation: the heap in use after full collections, without and with a loaded copy of the 10,000. */
        private void measureTheCopy() {
            long before = usedHeap();
            EtcdBackend loaded = open("/fleet");
            long retained = usedHeap() - before;
            System.out.printf("%n  etcd copy of %d secrets: %.1f MiB retained%n", loaded.entries().size(),
                    retained / 1048576.0);
            loaded.deactivate();
        }

        /** 10,000 secrets under {@code /fleet}, written by 4 threads. */
        private void fill() throws Exception {
            EtcdBackend writer = open("/fleet");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> writes = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int first = t;
                    writes.add(pool.submit(() -> {
                        for (int i = first; i < SECRETS; i += 4) {
                            writer.set("service " + i, "user", Secret.of("secret number " + i));
                        }
                    }));
                }
                for (Future<?> write : writes) {
                    write.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
                writer.deactivate();
            }
        }

        EtcdBackend open(String prefix) {
            EtcdBackend opened = new EtcdBackend("etcd", new EtcdBackend.Settings(cluster.endpointsJoined(), prefix,
                    kek.toString(), "", "", "", "", "", 5), "", "", "", dir.resolve("state"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (opened.copyRevision() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The copy of " + prefix + " did not load: " + opened.diagnose());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            return opened;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            backend.deactivate();
            cluster.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void getFromTheWatchedCopy(Cluster state, Blackhole hole) {
        try (Secret secret = state.backend.get("bench", "alice").orElseThrow()) {
            hole.consume(secret.length());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] linearizableRangeThroughTheGateway(Cluster state) throws Exception {
        return state.http.send(state.range, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 3, time = 3)
    public String etcdctlGetPerProcess(Cluster state) {
        return state.cluster.etcdctl("get", state.entryKey);
    }

    /** A new backend's start on the prefix of 10,000 secrets, until its copy is loaded. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public int load10000AtStart(Cluster state) {
        EtcdBackend loaded = state.open("/fleet");
        try {
            return loaded.entries().size();
        } finally {
            loaded.deactivate();
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
