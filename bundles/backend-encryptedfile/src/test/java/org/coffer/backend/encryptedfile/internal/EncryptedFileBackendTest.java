package org.coffer.backend.encryptedfile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class EncryptedFileBackendTest extends KeyringBackendContract {

    static final Map<String, String> PASSWORD = Map.of("COFFER_KEYRING_PASSWORD", "pässwörd");

    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("crypted_pass.cfg");
    }

    @Override
    protected KeyringBackend newBackend() {
        return new EncryptedFileBackend(file(), PASSWORD, "", "");
    }

    @Override
    protected KeyringBackend sameStore() {
        return new EncryptedFileBackend(file(), PASSWORD, "", "");
    }

    @Test
    void derivesKeysWithPbkdf2OverLatin1() throws Exception {
        // RFC 6070, test vector 2 (2 rounds), and a latin-1 password checked against Python's hashlib
        assertThat(HexFormat.of().formatHex(EncryptedFileCipher.pbkdf2("password".getBytes(), "salt".getBytes(), 2, 20)))
                .isEqualTo("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
    }

    @Test
    void writesTheHeaderPythonExpects() throws Exception {
        backend.set("svc", "u", Secret.of("v"));
        String text = Files.readString(file());
        assertThat(text).startsWith("[keyring_2Dsetting]\npassword_20reference = \n\t");
        assertThat(text).contains("scheme = [PBKDF2] AES256.CFB\nversion = 1.0\n");
    }

    @Test
    void refusesAWrongPasswordAndPasswordsBeyondLatin1() throws Exception {
        backend.set("svc", "u", Secret.of("v"));
        byte[] before = Files.readAllBytes(file());
        EncryptedFileBackend other = new EncryptedFileBackend(file(), Map.of(), "", "");
        assertThatThrownBy(() -> other.get("svc", "u")).isInstanceOf(KeyringLockedException.class);
        assertThatThrownBy(() -> other.unlock(Secret.of("wrong"))).isInstanceOf(BackendException.class)
                .hasMessageContaining("Incorrect password");
        assertThatThrownBy(() -> other.unlock(Secret.of("🔑"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latin-1");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        other.unlock(Secret.of("pässwörd"));
        assertThat(value(other.get("svc", "u"))).isEqualTo("v");
    }

    @Test
    void usesPythonsDataFolder() {
        EncryptedFileConfig defaults = Converters.standardConverter().convert(Map.of()).to(EncryptedFileConfig.class);
        assertThat(EncryptedFileBackend.fileOf(defaults, Map.of("XDG_DATA_HOME", "/d")))
                .isEqualTo(Path.of("/d/python_keyring/crypted_pass.cfg"));
        assertThat(defaults.service_ranking()).isEqualTo(60);
    }
}
