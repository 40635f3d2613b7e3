package org.coffer.backend.plaintext.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class PlaintextBackendTest extends KeyringBackendContract {

    @TempDir
    Path dir;

    @Override
    protected KeyringBackend newBackend() {
        return new PlaintextBackend(dir.resolve("keyring_pass.cfg"));
    }

    @Override
    protected KeyringBackend sameStore() {
        return new PlaintextBackend(dir.resolve("keyring_pass.cfg"));
    }

    @Test
    void writesTheFileAsKeyringsAltDoes() throws Exception {
        backend.set("my service", "Alice", Secret.of("secret"));
        assertThat(Files.readString(dir.resolve("keyring_pass.cfg")))
                .isEqualTo("[my_20service]\nalice = \n\tc2VjcmV0\n\t\n\n");
    }

    @Test
    void treatsUsernamesCaseInsensitivelyAsTheFormatDoes() {
        backend.set("svc", "Alice", Secret.of("pw"));
        assertThat(value(backend.get("svc", "alice"))).isEqualTo("pw");
        assertThat(value(backend.get("svc", "ALICE"))).isEqualTo("pw");
    }

    @Test
    void refusesABlankUsernameAndTheReservedService() {
        assertThatThrownBy(() -> backend.set("svc", "", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> backend.set("DEFAULT", "u", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DEFAULT");
        assertThat(dir.resolve("keyring_pass.cfg")).doesNotExist();
    }

    @Test
    void namesTheFileAndLineOfACorruptFileAndKeepsIt() throws Exception {
        Path file = dir.resolve("keyring_pass.cfg");
        Files.writeString(file, "[svc]\nalice = \n\tc2VjcmV0\nnot an option\n");
        assertThatThrownBy(() -> backend.get("svc", "alice"))
                .isInstanceOf(BackendException.class).hasMessageContaining(file + ", line 4");
        assertThatThrownBy(() -> backend.set("svc", "bob", Secret.of("x"))).isInstanceOf(BackendException.class);
        assertThat(Files.readString(file)).isEqualTo("[svc]\nalice = \n\tc2VjcmV0\nnot an option\n");
    }

    @Test
    void warnsThatSecretsAreNotEncrypted() {
        assertThat(backend.diagnose().warnings()).anySatisfy(w -> assertThat(w).contains("unencrypted"));
        assertThat(backend.diagnose().details()).containsEntry("file", dir.resolve("keyring_pass.cfg").toString());
    }

    @Test
    void failsClearlyOnceStopped() {
        PlaintextBackend stopped = new PlaintextBackend(dir.resolve("k.cfg"));
        stopped.deactivate();
        assertThatThrownBy(() -> stopped.get("s", "u")).isInstanceOf(BackendException.class).hasMessageContaining("stopped");
    }

    @Test
    void findsTheFileWherePythonLooks() {
        PlaintextConfig defaults = Converters.standardConverter().convert(Map.of()).to(PlaintextConfig.class);
        assertThat(PlaintextBackend.fileOf(defaults, Map.of("XDG_DATA_HOME", "/data")))
                .isEqualTo(Path.of("/data/python_keyring/keyring_pass.cfg"));
        assertThat(PlaintextBackend.fileOf(defaults, Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local/share/python_keyring/keyring_pass.cfg"));
        PlaintextConfig explicit = Converters.standardConverter().convert(Map.of("file", "/etc/k.cfg")).to(PlaintextConfig.class);
        assertThat(PlaintextBackend.fileOf(explicit, Map.of())).isEqualTo(Path.of("/etc/k.cfg"));
        assertThat(defaults.service_ranking()).isEqualTo(50);
    }
}
