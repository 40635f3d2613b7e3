package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.TransportCipher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.test.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gnome-keyring killed and started again, locked, while four readers read a secret held
 * only there: during the outage every read fails with its reason, never "not found"
 * nor another value, and within 2 s of the daemon's return (and unlock) all read again.
 */
class SecretServiceOutageTest {

    private static final String PASSWORD = "keyring password";
    private static final long BACK_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    @TempDir
    Path dir;

    private SecretServiceDaemon daemon;
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private final List<Thread> readers = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> reasons = new ConcurrentLinkedQueue<>();
    private volatile long returnedAt = Long.MAX_VALUE;
    private final long[] firstSuccessAfterReturn = new long[4];
    private CountDownLatch allBack;

    @BeforeEach
    void startDaemon() throws Exception {
        Peers.require(SecretServiceDaemon.installed(), SecretServiceDaemon.PACKAGES);
        daemon = SecretServiceDaemon.start(dir.resolve("bus"), PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        reading.set(false);
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        daemon.close();
    }

    private SecretServiceBackend backend(Map<String, String> environment) {
        return new SecretServiceBackend(daemon.address(), TransportCipher.DH_AES,
                SecretServiceBackend.PYTHON_APPLICATION, "default", "COFFER_SECRETSERVICE_PASSWORD", environment,
                Duration.ofSeconds(2), "secretservice");
    }

    private void startReaders(SecretServiceBackend backend) {
        allBack = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            int reader = i;
            Thread thread = new Thread(() -> {
                while (reading.get()) {
                    read(backend, reader);
                }
            }, "reader " + i);
            readers.add(thread);
            thread.start();
        }
    }

    private void read(SecretServiceBackend backend, int reader) {
        try {
            Optional<Secret> value = backend.get("outage svc", "erin");
            if (value.isEmpty() || !value.get().reveal().equals("held only here")) {
                wrong.add(value.isEmpty() ? "not found" : "another value");
            } else if (System.nanoTime() > returnedAt && firstSuccessAfterReturn[reader] == 0) {
                firstSuccessAfterReturn[reader] = System.nanoTime();
                allBack.countDown();
            }
        } catch (RuntimeException e) {
            reasons.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void outageThenReturn(SecretServiceBackend backend, Runnable afterReturn) throws Exception {
        backend.set("outage svc", "erin", Secret.of("held only here"));
        startReaders(backend);
        daemon.killKeyring();
        long outageEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < outageEnds && reasons.isEmpty()) {
            Thread.onSpinWait();
        }
        daemon.startKeyring(null);
        afterReturn.run();
        returnedAt = System.nanoTime();
        boolean back = allBack.await(10, TimeUnit.SECONDS);
        assertThat(back).as("every reader reads again; the reasons of failed reads: %s",
                new java.util.TreeSet<>(reasons)).isTrue();
        for (long success : firstSuccessAfterReturn) {
            assertThat(success - returnedAt).isLessThan(BACK_WITHIN_NANOS);
        }
        assertThat(wrong).as("reads that answered wrongly").isEmpty();
        assertThat(reasons).isNotEmpty().allSatisfy(reason -> assertThat(reason)
                .containsAnyOf("org.freedesktop.secrets", "locked", "unavailable"));
    }

    @Test
    void unlocksTheRestartedKeyringFromItsPasswordVariableAndSaysSo() throws Exception {
        SecretServiceBackend backend = backend(Map.of("COFFER_SECRETSERVICE_PASSWORD", PASSWORD));
        outageThenReturn(backend, () -> { });
        assertThat(backend.diagnose().details()).containsEntry("locked", "false");
        assertThat(backend.diagnose().details().get("last unlock").toString())
                .contains("COFFER_SECRETSERVICE_PASSWORD");
    }

    @Test
    void showsTheRestartedKeyringLockedUntilItIsUnlocked() throws Exception {
        SecretServiceBackend backend = backend(Map.of());
        outageThenReturn(backend, () -> {
            assertThat(backend.isLocked()).isTrue();
            assertThat(backend.diagnose().details()).containsEntry("locked", "true");
            backend.unlock(Secret.of(PASSWORD));
        });
        assertThat(backend.diagnose().details()).containsEntry("locked", "false");
    }
}
