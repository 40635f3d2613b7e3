package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.coffer.files.FileStamp;
import org.coffer.files.OwnerOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyring file on Windows, where a file has no inode number and no change time:
 * Coffer still sees every rewrite by another program, by its content. {@code mvn
 * verify} runs it in a Windows JVM under Wine.
 */
@EnabledOnOs(OS.WINDOWS)
class KeyringFileWindowsTest {

    @TempDir
    Path dir;

    @Test
    void aRewriteThatKeepsSizeAndTimesIsSeenByItsContent() throws Exception {
        Path file = dir.resolve("Python Keyring/keyring_pass.cfg");
        KeyringFileStore store = new KeyringFileStore(file);
        store.put("svc", "alice", "one");
        assertThat(store.get("svc", "alice")).contains("one");
        assertThat(FileStamp.of(file).tellsRewritesApart()).as("no inode, no change time here").isFalse();
        assertThat(OwnerOnly.whyNotPrivate(file.getParent())).isNull();

        FileTime modified = Files.getLastModifiedTime(file);
        Files.writeString(file, Files.readString(file).replace("one", "two"));
        Files.setLastModifiedTime(file, modified);

        assertThat(store.get("svc", "alice")).contains("two");
    }
}
