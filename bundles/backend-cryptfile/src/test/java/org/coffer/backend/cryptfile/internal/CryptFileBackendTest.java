package org.coffer.backend.cryptfile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.keyringfile.internal.EncryptedKeyringStore;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class CryptFileBackendTest extends KeyringBackendContract {

    static final Map<String, String> PASSWORD = Map.of("KEYRING_CRYPTFILE_PASSWORD", "correct horse");

    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("cryptfile_pass.cfg");
    }

    @Override
    protected KeyringBackend newBackend() {
        return new CryptFileBackend(file(), PASSWORD, "", "");
    }

    @Override
    protected KeyringBackend sameStore() {
        return new CryptFileBackend(file(), PASSWORD, "", "");
    }

    static Path vector(Path dir, String name) throws Exception {
        Path target = dir.resolve(name);
        try (InputStream in = CryptFileBackendTest.class.getResourceAsStream("/vectors/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void opensTheFilesPythonWrote() throws Exception {
        for (String name : new String[] {"cp1.3.4.cfg", "cp1.3.9.cfg"}) {
            Path vector = vector(dir, name);
            byte[] before = Files.readAllBytes(vector);
            CryptFileBackend python = new CryptFileBackend(vector, Map.of("COFFER_KEYRING_PASSWORD", "passwd"), "", "");
            assertThat(python.isLocked()).isFalse();
            assertThat(value(python.get("service", "user"))).as(name).isEqualTo("secret");
            assertThat(python.entries()).extracting(Object::toString).containsExactly("service/user");
            assertThat(Files.readAllBytes(vector)).isEqualTo(before);
        }
    }

    @Test
    void refusesAWrongPasswordAndStaysLocked() throws Exception {
        Path vector = vector(dir, "cp1.3.9.cfg");
        byte[] before = Files.readAllBytes(vector);
        CryptFileBackend backend = new CryptFileBackend(vector, Map.of(), "", "");
        assertThat(backend.isLocked()).isTrue();
        assertThatThrownBy(() -> backend.unlock(Secret.of("wrong")))
                .isInstanceOf(BackendException.class).hasMessageContaining("Incorrect password")
                .hasMessageContaining(vector.toString());
        assertThat(backend.isLocked()).isTrue();
        assertThatThrownBy(() -> backend.get("service", "user"))
                .isInstanceOf(KeyringLockedException.class).hasMessageContaining("keyring:unlock");
        assertThatThrownBy(() -> backend.set("service", "user", Secret.of("x")))
                .isInstanceOf(KeyringLockedException.class);
        assertThat(backend.diagnose().warnings()).anySatisfy(w -> assertThat(w).contains("Incorrect password"));
        assertThat(Files.readAllBytes(vector)).isEqualTo(before);
        backend.unlock(Secret.of("passwd"));
        assertThat(value(backend.get("service", "user"))).isEqualTo("secret");
        backend.lock();
        assertThat(backend.isLocked()).isTrue();
    }

    @Test
    void createsANewFileWithItsCheckValueOwnerOnly() throws Exception {
        backend.set("svc", "Alice", Secret.of("pw"));
        String text = Files.readString(file());
        assertThat(text).startsWith("[keyring_2Dsetting]\npassword_20reference = \n\t");
        assertThat(text).contains("scheme = [Argon2] AES128.GCM\nversion = 1.3.9\n");
        assertThat(text).doesNotContain("pw\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        CryptFileBackend other = new CryptFileBackend(file(), Map.of(), "", "");
        assertThatThrownBy(() -> other.unlock(Secret.of("not it"))).isInstanceOf(BackendException.class);
    }

    @Test
    void readsMixedCaseUsernamesAndSaysWhyTheLowerCasedNameFails() {
        backend.set("svc", "MixedCase", Secret.of("v1"));
        assertThat(value(backend.get("svc", "MixedCase"))).isEqualTo("v1");
        assertThat(value(sameStoreGet("svc", "MixedCase"))).isEqualTo("v1");
        // the file keeps option names lower-cased, the encryption binds the original case, as in Python
        assertThat(backend.entries()).extracting(Object::toString).containsExactly("svc/mixedcase");
        assertThatThrownBy(() -> backend.get("svc", "mixedcase"))
                .isInstanceOf(BackendException.class).hasMessageContaining("case");
    }

    private java.util.Optional<Secret> sameStoreGet(String service, String user) {
        return new CryptFileBackend(file(), PASSWORD, "", "").get(service, user);
    }

    @Test
    void namesADamagedValueAndKeepsTheFile() throws Exception {
        backend.set("svc", "alice", Secret.of("pw"));
        // a damaged value the file ends in is where it was cut (KeyringFileContract); this one is inside
        backend.set("svc2", "bob", Secret.of("pw2"));
        String text = Files.readString(file());
        String damaged = text.replaceFirst("(\\[svc\\]\\nalice = \\n\\t)[A-Za-z0-9+/]{8}", "$1AAAAAAAA");
        Files.writeString(file(), damaged);
        assertThatThrownBy(() -> sameStore().get("svc", "alice"))
                .isInstanceOf(BackendException.class).hasMessageContaining("'alice' in 'svc'").hasMessageContaining("does not decrypt");
        Files.writeString(file(), text.replaceFirst("\\[svc\\]\\nalice = \\n\\t", "[svc]\nalice = \n\teyJub3QiOiAianNvbiJ9\n\t"));
        assertThatThrownBy(() -> sameStore().get("svc", "alice")).isInstanceOf(BackendException.class);
        String truncated = text.substring(0, text.length() / 2);
        Files.writeString(file(), truncated);
        assertThatThrownBy(() -> sameStore().set("svc", "bob", Secret.of("x"))).isInstanceOf(RuntimeException.class);
        assertThat(Files.readString(file())).isEqualTo(truncated);
    }

    @Test
    void refusesTheHeaderServiceAndTheReservedSection() {
        assertThatThrownBy(() -> backend.set(EncryptedKeyringStore.SETTING_SERVICE, "scheme", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.set("DEFAULT", "u", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DEFAULT");
    }

    @Test
    void findsTheFileWherePythonLooks() {
        CryptFileConfig defaults = Converters.standardConverter().convert(Map.of()).to(CryptFileConfig.class);
        assertThat(CryptFileBackend.fileOf(defaults, Map.of("XDG_DATA_HOME", "/data")))
                .isEqualTo(Path.of("/data/python_keyring/cryptfile_pass.cfg"));
        assertThat(CryptFileBackend.fileOf(defaults, Map.of("KEYRING_CRYPTFILE_PATH", "/k.cfg", "XDG_DATA_HOME", "/d")))
                .isEqualTo(Path.of("/k.cfg"));
        assertThat(defaults.service_ranking()).isEqualTo(250);
    }

    @Test
    void knowsWhichVersionsJoinWithBackslashZero() {
        assertThat(CryptFileCipher.backslashZero("1.3.6")).isTrue();
        assertThat(CryptFileCipher.backslashZero("1.3.8")).isTrue();
        assertThat(CryptFileCipher.backslashZero("1.3.9")).isFalse();
        assertThat(CryptFileCipher.backslashZero("1.3.4")).isFalse();
        assertThat(CryptFileCipher.backslashZero("1.4.1")).isFalse();
        assertThat(CryptFileCipher.backslashZero(null)).isFalse();
    }

    @Test
    void aShortenedTagIsRefusedThoughGcmWouldAcceptIt() throws Exception {
        backend.set("svc", "alice", Secret.of("pw"));
        org.coffer.keyringfile.KeyringFileStore store = new org.coffer.keyringfile.KeyringFileStore(file());
        byte[] payload = org.coffer.keyringfile.KeyringValue.decode(store.get("svc", "alice").orElseThrow());
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>(org.coffer.keyringfile.FlatJson.parse(
                new String(payload, java.nio.charset.StandardCharsets.UTF_8)));
        byte[] mac = org.coffer.keyringfile.FlatJson.base64Field(fields, "mac");
        // the first 12 bytes of a GCM tag are the 96-bit tag of the same message
        fields.put("mac", org.coffer.keyringfile.KeyringValue.mimeBase64(java.util.Arrays.copyOf(mac, 12)));
        store.put("svc", "alice", org.coffer.keyringfile.KeyringValue.encode(
                org.coffer.keyringfile.FlatJson.write(fields).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        String before = Files.readString(file());
        assertThatThrownBy(() -> sameStore().get("svc", "alice")).isInstanceOf(BackendException.class)
                .hasMessageContaining("GCM tag (mac) is 12 bytes").hasMessageNotContaining("pw\"");
        assertThat(Files.readString(file())).isEqualTo(before);
    }
}
