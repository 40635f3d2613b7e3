package org.coffer.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.coffer.CofferException;
import org.coffer.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MasterPasswordFileTest {

    @TempDir
    Path dir;

    @Test
    void oneTrailingNewlineIsIgnored() throws IOException {
        Path file = dir.resolve("credentialprovider.password");
        MasterPasswordFile master = new MasterPasswordFile(file);
        Files.writeString(file, "7af93081\n");
        assertThat(master.read()).get().isEqualTo("7af93081".toCharArray());
        Files.writeString(file, "7af93081\r\n");
        assertThat(master.read()).get().isEqualTo("7af93081".toCharArray());
        Files.writeString(file, "7af93081\n\n");
        assertThat(master.read()).get().isEqualTo("7af93081\n".toCharArray());
        Files.writeString(file, " 7af93081");
        assertThat(master.read()).get().isEqualTo(" 7af93081".toCharArray());
    }

    @Test
    void anEmptyFileIsAnError() throws IOException {
        Path file = dir.resolve("credentialprovider.password");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> new MasterPasswordFile(file).read()).isInstanceOf(CofferException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("empty");
    }

    @Test
    void createsAStrongRandomPasswordOwnerOnly() throws IOException {
        Path file = dir.resolve("conf/credentialprovider.password");
        char[] created = new MasterPasswordFile(file).readOrCreate();
        assertThat(created).hasSize(43);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new MasterPasswordFile(file).read()).get().isEqualTo(created);
        assertThat(new MasterPasswordFile(file).readOrCreate()).isEqualTo(created);
        assertThat(new MasterPasswordFile(dir.resolve("other")).readOrCreate()).isNotEqualTo(created);
    }

    @Test
    void aMissingFileIsNotCreatedToDecrypt() throws IOException {
        Path file = dir.resolve("credentialprovider.password");
        PasswordMasterKey key = new PasswordMasterKey(new MasterPasswordFile(file));
        assertThatThrownBy(() -> key.decrypt("VX1mne9VBLY=", "credential ssh-node1 of environment linux"))
                .isInstanceOf(CofferException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("does not exist");
        assertThat(file).doesNotExist();
        String stored = key.encrypt(Secret.of("vagrant"));
        assertThat(file).exists();
        assertThat(key.decrypt(stored, "x").reveal()).isEqualTo("vagrant");
    }

    @Test
    void aWrongMasterPasswordIsAnErrorNamingTheValue() throws IOException {
        Path file = dir.resolve("credentialprovider.password");
        Files.writeString(file, "not the right one\n");
        PasswordMasterKey key = new PasswordMasterKey(new MasterPasswordFile(file));
        assertThatThrownBy(() -> key.decrypt("VX1mne9VBLY=", "credential ssh-node1 of environment linux"))
                .isInstanceOf(CofferException.class)
                .hasMessageContaining("credential ssh-node1 of environment linux")
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("not the right one");
    }

    @Test
    void theMasterPasswordIsReadOnceAndKept() throws IOException {
        Path file = dir.resolve("credentialprovider.password");
        Files.writeString(file, JasyptCipherTest.SEED_MASTER);
        PasswordMasterKey key = new PasswordMasterKey(new MasterPasswordFile(file));
        assertThat(key.decrypt("VX1mne9VBLY=", "x").reveal()).isEqualTo("vagrant");
        Files.writeString(file, "changed on disk");
        assertThat(key.decrypt("VX1mne9VBLY=", "x").reveal()).isEqualTo("vagrant");
    }

    @Test
    void aRotationReplacesPasswordAndFilesTogether() throws IOException {
        Path file = dir.resolve("credentialprovider.password");
        Files.writeString(file, JasyptCipherTest.SEED_MASTER);
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "VX1mne9VBLY=");
        PasswordMasterKey key = new PasswordMasterKey(new MasterPasswordFile(file));
        key.rekey(next -> Map.of(data, next.encrypt(Secret.of("vagrant")).getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(file)).doesNotContain(JasyptCipherTest.SEED_MASTER);
        assertThat(key.decrypt(Files.readString(data), "x").reveal()).isEqualTo("vagrant");
        PasswordMasterKey fresh = new PasswordMasterKey(new MasterPasswordFile(file));
        assertThat(fresh.decrypt(Files.readString(data), "x").reveal()).isEqualTo("vagrant");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.contains(MasterPasswordFile.STAGED) || name.contains(MasterPasswordFile.JOURNAL));
        }
    }

    /** A failure after each step stands for a crash there; the next start must find consistent files. */
    @ParameterizedTest
    @EnumSource(MasterPasswordFile.Step.class)
    void aRotationInterruptedAtAnyStepLeavesConsistentFiles(MasterPasswordFile.Step crashAfter) throws IOException {
        Path file = dir.resolve("credentialprovider.password");
        Files.writeString(file, JasyptCipherTest.SEED_MASTER);
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "VX1mne9VBLY=");
        PasswordMasterKey key = new PasswordMasterKey(new MasterPasswordFile(file), step -> {
            if (step == crashAfter) {
                throw new Crash();
            }
        });
        assertThatThrownBy(() -> key.rekey(next -> Map.of(data,
                next.encrypt(Secret.of("vagrant")).getBytes(StandardCharsets.UTF_8)))).isInstanceOf(Crash.class);
        PasswordMasterKey restarted = new PasswordMasterKey(new MasterPasswordFile(file));
        assertThat(restarted.decrypt(Files.readString(data), "data").reveal()).isEqualTo("vagrant");
        boolean rotated = crashAfter.compareTo(MasterPasswordFile.Step.COMMITTED) >= 0;
        assertThat(Files.readString(data).equals("VX1mne9VBLY=")).isEqualTo(!rotated);
    }

    private static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }
}
