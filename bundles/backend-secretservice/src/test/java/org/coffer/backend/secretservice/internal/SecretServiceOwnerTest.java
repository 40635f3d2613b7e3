package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.TransportCipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.coffer.BackendException;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.FakeSecretService;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.test.Peers;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * Another process of the user claims {@code org.freedesktop.secrets} on a bus where it is
 * free: Coffer sends it nothing, neither a session request nor a secret nor a password,
 * and says which program owns the name. The real gnome-keyring passes the same check.
 */
class SecretServiceOwnerTest {

    static final String PASSWORD = "keyring password";
    static final String SECRET = "the secret value";

    @TempDir
    Path dir;

    private SecretServiceDaemon bus;
    private FakeSecretService fake;
    private SecretServiceWatcher watcher;

    @BeforeEach
    void startBus() throws Exception {
        Peers.require(SecretServiceDaemon.installed(), SecretServiceDaemon.PACKAGES);
        Peers.require(FakeSecretService.installed(), FakeSecretService.PACKAGES);
        bus = SecretServiceDaemon.startBus(dir.resolve("bus"));
    }

    @AfterEach
    void stop() throws Exception {
        if (watcher != null) {
            watcher.deactivate();
        }
        if (fake != null) {
            fake.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    private FakeSecretService startFake(String name) throws IOException {
        fake = FakeSecretService.start(bus, dir.resolve(name));
        return fake;
    }

    /** A backend whose password variable holds the keyring password, so it would send it if it could. */
    private SecretServiceBackend backend(OwnerCheck owners) {
        return new SecretServiceBackend(bus.address(), TransportCipher.DH_AES, SecretServiceBackend.PYTHON_APPLICATION,
                "default", "COFFER_SECRETSERVICE_PASSWORD", Map.of("COFFER_SECRETSERVICE_PASSWORD", PASSWORD),
                Duration.ofSeconds(5), "secretservice", owners);
    }

    private SecretServiceConfig config() {
        return Converters.standardConverter().convert(Map.of("bus.address", bus.address()))
                .to(SecretServiceConfig.class);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still waiting for: " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void aFakeOwnerIsSentNothingAndTheRefusalNamesItsProgram() throws Exception {
        FakeSecretService impostor = startFake("fake");
        String program = impostor.executable().toString();
        SecretServiceBackend backend = backend(OwnerCheck.DEFAULT);
        List<Runnable> calls = List.of(() -> backend.set("svc", "alice", Secret.of(SECRET)),
                () -> backend.unlock(Secret.of(PASSWORD)), () -> backend.get("svc", "alice"), backend::isLocked,
                backend::entries, () -> backend.delete("svc", "alice"));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(BackendException.class)
                    .hasMessageContaining(impostor.uniqueName()).hasMessageContaining(program)
                    .hasMessageContaining("not in the allow-list")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET, PASSWORD));
        }
        assertThat(backend.diagnose().warnings()).anySatisfy(w -> assertThat(w).contains("not in the allow-list"));
        assertThat(impostor.calls()).as("calls the fake received").isEmpty();
    }

    @Test
    void withoutTheCheckTheFakeWouldBeAskedForASession() throws Exception {
        // the attack as it was: the owner of the name is sent the session request, then the secrets
        FakeSecretService impostor = startFake("fake");
        OwnerCheck trustingPython = new OwnerCheck(List.of(impostor.executable().getFileName().toString()), false);
        assertThatThrownBy(() -> backend(trustingPython).set("svc", "alice", Secret.of(SECRET)))
                .isInstanceOf(BackendException.class).hasMessageContaining("recorded OpenSession");
        assertThat(impostor.calls()).containsExactly("OpenSession\targuments");
    }

    @Test
    void theWatcherGivesTheConditionOnlyToAnOwnerThatPasses() throws Exception {
        FakeSecretService first = startFake("first fake");
        RecordingContext osgi = new RecordingContext();
        watcher = new SecretServiceWatcher(osgi.context(), config());
        assertThat(osgi.conditionPublished()).isFalse();
        assertThat(osgi.absence()).get(STRING).contains(first.uniqueName(), first.executable().toString(),
                "not in the allow-list", "allowed.executables");
        assertThat(first.calls()).as("calls the fake received").isEmpty();

        // the real keyring takes the name over: it passes, and the condition follows
        first.close();
        bus.startKeyring(PASSWORD);
        await("the condition for gnome-keyring", osgi::conditionPublished);
        assertThat(osgi.absence()).isEmpty();

        // the keyring goes and another process claims the name: it is checked before anything else
        bus.killKeyring();
        FakeSecretService second = startFake("second fake");
        await("an absence naming the second fake",
                () -> osgi.absence().filter(reason -> reason.contains(second.uniqueName())).isPresent());
        assertThat(osgi.conditionPublished()).isFalse();
        assertThat(osgi.absence()).get(STRING).contains(second.executable().toString());
        assertThat(second.calls()).as("calls the second fake received").isEmpty();
    }

    @Test
    void aNewOwnerAfterTheKeyringLeftIsCheckedBeforeItIsSentAnything() throws Exception {
        bus.startKeyring(PASSWORD);
        SecretServiceBackend backend = backend(OwnerCheck.DEFAULT);
        backend.set("svc", "alice", Secret.of("in gnome-keyring"));
        assertThat(backend.get("svc", "alice")).map(Secret::reveal).contains("in gnome-keyring");

        bus.killKeyring();
        FakeSecretService impostor = startFake("fake");
        assertThatThrownBy(() -> backend.set("svc", "alice", Secret.of(SECRET))).isInstanceOf(BackendException.class)
                .hasMessageContaining(impostor.uniqueName()).hasMessageContaining("not in the allow-list");
        assertThatThrownBy(() -> backend.unlock(Secret.of(PASSWORD))).isInstanceOf(BackendException.class);
        assertThat(impostor.calls()).as("calls the fake received").isEmpty();
    }

    @Test
    void callsGoToTheCheckedOwnerEvenAfterAnotherTakesTheNameOver() throws Exception {
        // an owner that lets others replace it: a later claim must not redirect what Coffer sends
        try (FakeSecretService checked = FakeSecretService.serving(bus, dir.resolve("checked"))) {
            OwnerCheck trustingPython = new OwnerCheck(List.of(checked.executable().getFileName().toString()), false);
            SecretServiceBackend backend = new SecretServiceBackend(bus.address(), TransportCipher.PLAIN, "app",
                    "default", "COFFER_SECRETSERVICE_PASSWORD", Map.of(), Duration.ofSeconds(5), "secretservice",
                    trustingPython);
            assertThat(backend.isLocked()).isFalse();
            FakeSecretService usurper = startFake("usurper");
            assertThat(backend.get("svc", "alice")).map(Secret::reveal).contains("value");
            backend.set("svc", "alice", Secret.of(SECRET));
            assertThat(usurper.calls()).as("calls the usurper received").isEmpty();
            assertThat(checked.calls()).contains("GetSecrets\targuments", "CreateItem\targuments");
        }
    }

    @Test
    void gnomeKeyringPassesTheCheck() throws Exception {
        bus.startKeyring(PASSWORD);
        try (DBusConnection connection = SessionBus.connect(bus.address())) {
            BusOwner owner = BusOwner.of(SessionBus.daemon(connection));
            assertThat(owner.uniqueName).startsWith(":");
            assertThat(owner.executable).contains(Path.of(SecretServiceDaemon.GNOME_KEYRING));
            assertThat(OwnerCheck.DEFAULT.refusal(owner)).isEmpty();
        }
        SecretServiceBackend backend = backend(OwnerCheck.DEFAULT);
        backend.set("owner-check", "alice", Secret.of("value"));
        assertThat(backend.get("owner-check", "alice")).map(Secret::reveal).contains("value");
    }
}
