package org.coffer.backend.etcd.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.coffer.backend.etcd.fixture.EtcdCluster;
import org.coffer.test.Peers;

/** Opens etcd backends on a test cluster, waits for their copies, and closes them all. */
final class EtcdBackends implements AutoCloseable {

    private final EtcdCluster cluster;
    private final Path state;
    private final List<EtcdBackend> opened = new ArrayList<>();

    /** @param state the state folder of the backends opened, where they keep their high-water marks */
    EtcdBackends(EtcdCluster cluster, Path state) {
        this.cluster = cluster;
        this.state = state;
    }

    /** Requires Debian's etcd: fails under CI, skips loudly elsewhere. */
    static void requireEtcd() {
        Peers.require(EtcdCluster.installed(), "etcd and etcdctl (apt-get install " + EtcdCluster.PACKAGES + ")");
    }

    /** @return a backend on the prefix whose copy is loaded */
    EtcdBackend open(String prefix, Path kekFile) {
        return open(prefix, kekFile, 5);
    }

    EtcdBackend open(String prefix, Path kekFile, int timeoutSeconds) {
        return open(prefix, kekFile, timeoutSeconds, state);
    }

    /** @return a backend on the prefix whose copy is loaded, keeping its marks in that state folder */
    EtcdBackend open(String prefix, Path kekFile, int timeoutSeconds, Path stateFolder) {
        EtcdBackend backend = start(prefix, kekFile, timeoutSeconds, stateFolder);
        await("the copy of " + prefix + " loaded", () -> backend.copyRevision() > 0, backend::toString);
        return backend;
    }

    /** @return a backend on the prefix, just started: its copy is being loaded */
    EtcdBackend start(String prefix, Path kekFile, int timeoutSeconds) {
        return start(prefix, kekFile, timeoutSeconds, state);
    }

    private EtcdBackend start(String prefix, Path kekFile, int timeoutSeconds, Path stateFolder) {
        EtcdBackend backend = new EtcdBackend("etcd", new EtcdBackend.Settings(cluster.endpointsJoined(), prefix,
                kekFile.toString(), "", "", "", "", "", timeoutSeconds), "", "", "", stateFolder);
        opened.add(backend);
        return backend;
    }

    /** Waits until the reader's copy holds every write the opened backends committed. */
    void awaitSeen(EtcdBackend reader) {
        long target = opened.stream().mapToLong(EtcdBackend::lastCommitted).max().orElse(0);
        await("the copy at revision " + target, () -> reader.copyRevision() >= target,
                () -> "at " + reader.copyRevision() + ": " + reader.diagnose());
    }

    /** Polls a condition every 10 ms for at most 30 s. */
    static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + "; " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Stops one backend, as a process ends. */
    void stop(EtcdBackend backend) {
        backend.deactivate();
        opened.remove(backend);
    }

    @Override
    public void close() {
        opened.forEach(EtcdBackend::deactivate);
        opened.clear();
    }
}
