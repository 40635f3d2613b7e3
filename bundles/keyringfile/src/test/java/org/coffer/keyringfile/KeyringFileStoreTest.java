package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.coffer.ConfigFormatException;
import org.coffer.KeyringEntry;
import org.coffer.files.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringFileStoreTest {

    @TempDir
    Path dir;

    @Test
    void createsTheFileAndItsFolderOwnerOnly() throws Exception {
        Path file = dir.resolve("new/sub/keyring.cfg");
        KeyringFileStore store = new KeyringFileStore(file);
        store.put("svc", "alice", "\nYWJj\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(store.get("svc", "alice")).contains("\nYWJj");
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("keyring.cfg", "keyring.cfg.lock");
    }

    @Test
    void seesChangesMadeByAnotherWriter() throws Exception {
        Path file = dir.resolve("k.cfg");
        KeyringFileStore store = new KeyringFileStore(file);
        store.put("svc", "alice", "one");
        assertThat(store.get("svc", "alice")).contains("one");
        Files.writeString(file, "[svc]\nalice = two\n");
        assertThat(store.get("svc", "alice")).contains("two");
    }

    @Test
    void leavesACorruptFileExactlyAsItWas() throws Exception {
        Path file = dir.resolve("k.cfg");
        byte[] corrupt = "[svc]\nalice = one\nthis line is not an option\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, corrupt);
        KeyringFileStore store = new KeyringFileStore(file);
        assertThatThrownBy(() -> store.put("svc", "bob", "x"))
                .isInstanceOf(ConfigFormatException.class).hasMessageContaining(file + ", line 3");
        assertThatThrownBy(() -> store.get("svc", "alice")).isInstanceOf(ConfigFormatException.class);
        assertThatThrownBy(() -> store.remove("svc", "alice")).isInstanceOf(ConfigFormatException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(corrupt);
    }

    @Test
    void rejectsAFileThatIsNotUtf8() throws Exception {
        Path file = dir.resolve("k.cfg");
        Files.write(file, new byte[] {'[', 's', ']', '\n', 'a', '=', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> new KeyringFileStore(file).get("s", "a"))
                .isInstanceOf(ConfigFormatException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void refusesTheReservedServiceWithoutTouchingTheFile() throws Exception {
        Path file = dir.resolve("k.cfg");
        KeyringFileStore store = new KeyringFileStore(file);
        store.put("svc", "alice", "one");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> store.put("DEFAULT", "alice", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DEFAULT");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void listsEntriesUnescaped() throws Exception {
        KeyringFileStore store = new KeyringFileStore(dir.resolve("k.cfg"));
        store.put("my service", "Bob Smith", "v");
        assertThat(store.entries(null)).containsExactly(new KeyringEntry("my service", "bob smith"));
    }

    @Test
    void removingFromAMissingFileCreatesNothing() throws Exception {
        Path file = dir.resolve("k.cfg");
        assertThat(new KeyringFileStore(file).remove("s", "u")).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void aLockFileThatIsALinkIsRefusedAndItsTargetNeverCreated() throws Exception {
        Path file = dir.resolve("k.cfg");
        Path target = dir.resolve("elsewhere/owned-by-the-attacker");
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(dir.resolve("k.cfg.lock"), target);
        KeyringFileStore store = new KeyringFileStore(file);
        assertThatThrownBy(() -> store.put("svc", "alice", "x"))
                .hasMessageContaining("k.cfg.lock is a symbolic link");
        assertThat(target).doesNotExist();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("k.cfg");
        byte[] huge = new byte[(int) AtomicFile.MAX_SIZE + 10];
        java.util.Arrays.fill(huge, (byte) 'a');
        Files.write(file, huge);
        KeyringFileStore store = new KeyringFileStore(file);
        assertThatThrownBy(() -> store.get("svc", "alice")).hasMessageContaining(file + " is larger than 16 MiB");
        assertThatThrownBy(() -> store.put("svc", "alice", "x")).hasMessageContaining("larger than 16 MiB");
        assertThat(Files.size(file)).isEqualTo(huge.length);
    }
}
