package org.coffer.backend.eclipse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coffer.backend.eclipse.storage.SecureStorage;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * The eclipse backend on files that real Equinox Secure Storage wrote in a process of
 * its own ({@link EquinoxWriter}), with a master password given as
 * {@code -eclipse.password} gives it.
 */
class EclipseBackendTest {

    /** ASCII: Java's PBE key factories refuse other characters, so Equinox never has such a master password */
    private static final String MASTER = "known master password";
    private static final String GITHUB = "/GIT/https:\\2f\\2fgithub.com:443";
    private static final String NO_USER = "/GIT/ssh:\\2f\\2fgit.example.com:22";

    @TempDir
    static Path dir;
    private static Path storage;
    private static Path passwordFile;

    @BeforeAll
    static void equinoxWritesAStorage() throws Exception {
        storage = dir.resolve("secure_storage");
        passwordFile = Files.writeString(dir.resolve("eclipse.password"), MASTER + "\n");
        equinox(storage, GITHUB, "user", "alice", "false", GITHUB, "password", "s3cret", "true",
                NO_USER, "password", "no user here", "true",
                "/org.example/db", "user", "bob", "false", "/org.example/db", "password", "pässwörd", "true",
                "/org.example/tokens", "api/v2", "tok", "true");
    }

    private static void equinox(Path file, String... values) {
        EquinoxWriter.inProcessOfItsOwn(file, MASTER, values);
    }

    private static EclipseBackend unlocked(Path file) throws Exception {
        EclipseBackend backend = new EclipseBackend(file, "eclipse");
        backend.unlock(SecureStorage.passwordFile(passwordFile));
        return backend;
    }

    @Test
    void readsEGitsPasswordsAndEveryOtherEncryptedValue() throws Exception {
        assertThat(Files.readString(storage)).as("written by Equinox, with its -eclipse.password module")
                .contains("org.eclipse.equinox.security.noModule\\t").doesNotContain("s3cret");
        EclipseBackend backend = unlocked(storage);
        assertThat(backend.entries()).containsExactlyInAnyOrder(new KeyringEntry("https://github.com:443", "alice"),
                new KeyringEntry(NO_USER, "password"), new KeyringEntry("/org.example/db", "password"),
                new KeyringEntry("/org.example/tokens", "api/v2"));
        assertThat(backend.get("https://github.com:443", "alice").map(Secret::reveal)).contains("s3cret");
        assertThat(backend.get(NO_USER, "password").map(Secret::reveal)).contains("no user here");
        assertThat(backend.get("/org.example/db", "password").map(Secret::reveal)).contains("pässwörd");
        assertThat(backend.get("/org.example/tokens", "api/v2").map(Secret::reveal)).contains("tok");
        assertThat(backend.get("/org.example/db", "user")).as("a value in clear is no secret").isEmpty();
        assertThat(backend.get("https://github.com:443", "bob")).isEmpty();
        assertThat(backend.diagnose().details()).containsEntry("cipher", "PBEWithHmacSHA512AndAES_256")
                .containsEntry("entries", "4");
    }

    @Test
    void staysLockedUntilTheMasterPasswordDecryptsAValue() {
        EclipseBackend backend = new EclipseBackend(storage, "eclipse");
        assertThat(backend.isLocked()).isTrue();
        assertThat(backend.entries()).as("entries are listed without the password").hasSize(4);
        assertThatThrownBy(() -> backend.get("https://github.com:443", "alice"))
                .isInstanceOf(KeyringLockedException.class).hasMessageContaining("keyring:unlock eclipse");
        assertThatThrownBy(() -> backend.unlock(Secret.of("not the master")))
                .isInstanceOf(BackendException.class).hasMessageContaining("decrypts none of the 4 encrypted values")
                .hasMessageNotContaining("not the master");
        assertThat(backend.isLocked()).isTrue();
    }

    @Test
    void takesTheMasterPasswordFromAnotherBackendsEntryAsTheProviderHandsItOver() throws Exception {
        KeyringEntry entry = new KeyringEntry("eclipse", "master");
        EclipseBackend backend = new EclipseBackend(storage, "eclipse", java.util.Set.of(entry));
        assertThat(backend.protectedEntries()).as("the configured entry, and the one Coffer's Eclipse provider keeps")
                .containsExactlyInAnyOrder(entry, new KeyringEntry("eclipse secure storage", storage.toRealPath().toString()));
        assertThat(backend.awaitsEntries()).isTrue();
        assertThatThrownBy(() -> backend.supply(entry, Secret.of("wrong"))).isInstanceOf(BackendException.class);
        backend.supply(new KeyringEntry("another", "entry"), Secret.of(MASTER));
        assertThat(backend.isLocked()).as("an entry it did not declare is ignored").isTrue();
        backend.supply(entry, Secret.of(MASTER));
        assertThat(backend.awaitsEntries()).isFalse();
        assertThat(backend.get("https://github.com:443", "alice").map(Secret::reveal)).contains("s3cret");
    }

    @Test
    void takesNoWriteAndNamesTheWayToMigrate() throws Exception {
        EclipseBackend backend = unlocked(storage);
        byte[] before = Files.readAllBytes(storage);
        assertThatThrownBy(() -> backend.set("https://github.com:443", "alice", Secret.of("x")))
                .isInstanceOf(BackendException.class).hasMessageContaining("read-only")
                .hasMessageContaining("keyring:migrate eclipse");
        assertThatThrownBy(() -> backend.delete("https://github.com:443", "alice")).isInstanceOf(BackendException.class);
        assertThat(Files.readAllBytes(storage)).isEqualTo(before);
    }

    @Test
    void readsTheCipherOfEclipseBefore430() throws Exception {
        // Equinox keeps the cipher a file names: one named as before Eclipse 4.30 is written with it
        Path old = dir.resolve("old_storage");
        Files.writeString(old, "#Equinox secure storage version 1.0\n" + SecureStorage.VERSION_KEY + "=1\n"
                + SecureStorage.CIPHER_KEY + "=PBEWithMD5AndDES\n" + SecureStorage.KEY_FACTORY_KEY
                + "=PBEWithMD5AndDES\n");
        equinox(old, GITHUB, "user", "carol", "false", GITHUB, "password", "old cipher", "true");
        assertThat(Files.readString(old)).contains("PBEWithMD5AndDES").doesNotContain(";");
        assertThat(unlocked(old).get("https://github.com:443", "carol").map(Secret::reveal)).contains("old cipher");
    }

    @Test
    void aDamagedValueIsNamedAndTheFileLeftAsItIs() throws Exception {
        Path damaged = dir.resolve("damaged_storage");
        String text = Files.readString(storage).replace("/org.example/db/password=org.eclipse.equinox.security.noModule\\t",
                "/org.example/db/password=org.eclipse.equinox.security.noModule\\t!!not base64;");
        assertThat(text).as("the value was found to damage").isNotEqualTo(Files.readString(storage));
        Files.writeString(damaged, text);
        EclipseBackend backend = new EclipseBackend(damaged, "eclipse");
        assertThatThrownBy(backend::entries).isInstanceOf(org.coffer.ConfigFormatException.class)
                .hasMessageContaining("/org.example/db/password is damaged").hasMessageContaining(damaged.toString());
        assertThatThrownBy(() -> backend.unlock(Secret.of(MASTER))).isInstanceOf(org.coffer.ConfigFormatException.class);
        assertThat(Files.readString(damaged)).isEqualTo(text);
    }

    @Test
    void isAbsentWithTheReasonWhereNoEclipseStoredAnything() {
        Map<String, Object> properties = Map.of("file", dir.resolve("none").toString());
        EclipseConfig config = Converters.standardConverter().convert(properties).to(EclipseConfig.class);
        assertThat(EclipseProbe.whyNot(config, Map.of())).contains("There is no Eclipse secure storage at "
                + dir.resolve("none"));
        EclipseConfig present = Converters.standardConverter().convert(Map.of("file", storage.toString()))
                .to(EclipseConfig.class);
        assertThat(EclipseProbe.whyNot(present, Map.of())).isNull();
    }
}
