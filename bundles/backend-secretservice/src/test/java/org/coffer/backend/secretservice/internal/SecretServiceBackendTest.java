package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.TransportCipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.coffer.test.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** The contract suite and the backend's own behaviour against a real gnome-keyring on a private bus. */
class SecretServiceBackendTest extends KeyringBackendContract {

    static final String PASSWORD = "keyring password";

    @TempDir
    static Path dir;

    static SecretServiceDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        Peers.require(SecretServiceDaemon.installed(), SecretServiceDaemon.PACKAGES);
        daemon = SecretServiceDaemon.start(dir.resolve("bus"), PASSWORD);
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    static SecretServiceBackend backend(String transport, Map<String, String> environment) {
        return new SecretServiceBackend(daemon.address(), transport, SecretServiceBackend.PYTHON_APPLICATION, "default",
                "COFFER_SECRETSERVICE_PASSWORD", environment, Duration.ofSeconds(5), "secretservice");
    }

    @Override
    protected KeyringBackend newBackend() {
        SecretServiceBackend backend = backend(TransportCipher.DH_AES, Map.of());
        if (backend.isLocked()) {
            backend.unlock(Secret.of(PASSWORD));
        }
        for (KeyringEntry entry : backend.entries()) {
            backend.delete(entry.service(), entry.username());
        }
        return backend;
    }

    @Override
    protected KeyringBackend sameStore() {
        return backend(TransportCipher.DH_AES, Map.of());
    }

    @AfterEach
    void leaveUnlocked() {
        if (backend.isLocked()) {
            backend.unlock(Secret.of(PASSWORD));
        }
    }

    @Test
    void encryptsTheTransportByDefaultAndCanUsePlain() {
        assertThat(backend.diagnose().details()).containsEntry("transport", TransportCipher.DH_AES);
        assertThat(backend.diagnose().warnings()).isEmpty();
        SecretServiceBackend plain = backend(TransportCipher.PLAIN, Map.of());
        plain.set("plain svc", "alice", Secret.of("clear on the bus"));
        assertThat(value(backend.get("plain svc", "alice"))).isEqualTo("clear on the bus");
        assertThat(plain.diagnose().warnings()).anySatisfy(w -> assertThat(w).contains("in clear"));
    }

    @Test
    void activatesFromItsConfiguration() {
        SecretServiceConfig config = Converters.standardConverter()
                .convert(Map.of("bus.address", daemon.address())).to(SecretServiceConfig.class);
        SecretServiceBackend configured = new SecretServiceBackend(config);
        assertThat(configured.name()).isEqualTo("secretservice");
        assertThat(configured.description()).contains(daemon.address());
        assertThat(configured.diagnose().details()).containsEntry("application attribute", "Python keyring library")
                .containsEntry("collection", "/org/freedesktop/secrets/collection/login");
    }

    @Test
    void locksAndUnlocksHeadlessWithThePassword() {
        backend.set("locked svc", "alice", Secret.of("behind the lock"));
        backend.lock();
        assertThat(backend.isLocked()).isTrue();
        SecretServiceBackend noPassword = backend(TransportCipher.DH_AES, Map.of());
        assertThatThrownBy(() -> noPassword.get("locked svc", "alice"))
                .isInstanceOf(KeyringLockedException.class).hasMessageContaining("keyring:unlock");
        assertThatThrownBy(() -> backend.unlock(Secret.of("wrong password")))
                .isInstanceOf(BackendException.class).hasMessageContaining("did not unlock")
                .hasMessageNotContaining("wrong password");
        assertThat(backend.isLocked()).isTrue();
        backend.unlock(Secret.of(PASSWORD));
        assertThat(backend.isLocked()).isFalse();
        assertThat(value(backend.get("locked svc", "alice"))).isEqualTo("behind the lock");
    }

    @Test
    void unlocksWithThePasswordFromTheEnvironmentWhenItMust() {
        backend.set("env svc", "bob", Secret.of("opened by the variable"));
        backend.lock();
        SecretServiceBackend fromEnvironment = backend(TransportCipher.DH_AES, Map.of("COFFER_SECRETSERVICE_PASSWORD", PASSWORD));
        assertThat(value(fromEnvironment.get("env svc", "bob"))).isEqualTo("opened by the variable");
        assertThat(backend.isLocked()).isFalse();
    }

    @Test
    void readsItsOwnPasswordVariableNeverTheFileKeyrings() {
        backend.set("own variable svc", "erin", Secret.of("behind its own password"));
        backend.lock();
        SecretServiceConfig defaults = Converters.standardConverter()
                .convert(Map.of("bus.address", daemon.address())).to(SecretServiceConfig.class);
        // the cryptfile keyring's password is in the environment: it is not offered to gnome-keyring
        SecretServiceBackend withFilePassword = new SecretServiceBackend(defaults,
                Map.of("COFFER_KEYRING_PASSWORD", PASSWORD));
        assertThatThrownBy(() -> withFilePassword.get("own variable svc", "erin"))
                .isInstanceOf(KeyringLockedException.class);
        assertThat(backend.isLocked()).isTrue();
        assertThat(withFilePassword.diagnose().details())
                .containsEntry("password variable", "COFFER_SECRETSERVICE_PASSWORD");
        SecretServiceBackend withOwnPassword = new SecretServiceBackend(defaults,
                Map.of("COFFER_SECRETSERVICE_PASSWORD", PASSWORD));
        assertThat(value(withOwnPassword.get("own variable svc", "erin"))).isEqualTo("behind its own password");
    }

    @Test
    void comesBackByItselfWhenTheDaemonRestarts() throws Exception {
        backend.set("restart svc", "carol", Secret.of("survives"));
        daemon.killKeyring();
        assertThatThrownBy(() -> backend.get("restart svc", "carol")).isInstanceOf(BackendException.class)
                .hasMessageContaining("org.freedesktop.secrets");
        daemon.startKeyring(PASSWORD);
        assertThat(value(backend.get("restart svc", "carol"))).isEqualTo("survives");
        backend.set("restart svc", "carol", Secret.of("written after"));
        assertThat(value(sameStore().get("restart svc", "carol"))).isEqualTo("written after");
    }

    @Test
    void unlocksAKeyringTheDaemonStartedLocked() throws Exception {
        backend.set("cold svc", "dave", Secret.of("from disk"));
        daemon.killKeyring();
        daemon.startKeyring(null);
        SecretServiceBackend cold = backend(TransportCipher.DH_AES, Map.of());
        assertThat(cold.isLocked()).isTrue();
        cold.unlock(Secret.of(PASSWORD));
        assertThat(value(cold.get("cold svc", "dave"))).isEqualTo("from disk");
    }

    @Test
    void isNotViableWithoutADaemonAndSaysWhy(@TempDir Path empty) throws Exception {
        try (SecretServiceDaemon busOnly = SecretServiceDaemon.startBus(empty)) {
            assertThat(SessionBus.whyUnreachable(busOnly.address())).get(STRING)
                    .contains("nothing owns org.freedesktop.secrets").contains("gnome-keyring-daemon --unlock");
            // built without a service, it does not throw; its calls say why they cannot work
            SecretServiceBackend absent = new SecretServiceBackend(busOnly.address(), TransportCipher.DH_AES, "a",
                    "default", "X", Map.of(), Duration.ofSeconds(1), "secretservice");
            assertThatThrownBy(() -> absent.get("svc", "bob")).isInstanceOf(BackendException.class)
                    .hasMessageContaining("nothing owns org.freedesktop.secrets");
            assertThat(absent.diagnose().warnings()).anyMatch(w -> w.contains("nothing owns"));
        }
        assertThat(SessionBus.whyUnreachable(SecretServiceBackend.busAddress("", Map.of()))).get(STRING)
                .contains("DBUS_SESSION_BUS_ADDRESS is not set");
        assertThat(SessionBus.whyUnreachable("unix:path=" + empty.resolve("gone"))).get(STRING)
                .contains("Cannot connect to the D-Bus session bus");
        assertThat(SessionBus.whyUnreachable("unix:abstract=/tmp/dbus-x")).get(STRING)
                .contains("abstract socket");
    }

    @Test
    void prefersTheConfiguredBusAddress() {
        assertThat(SecretServiceBackend.busAddress("unix:path=/x", Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/y")))
                .isEqualTo("unix:path=/x");
        assertThat(SecretServiceBackend.busAddress("", Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/y")))
                .isEqualTo("unix:path=/y");
    }
}
