package org.coffer.backend.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.coffer.KeyringEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The marks file: private, naming no entry, and merged when two processes of one user write it. */
class HighWaterMarksTest {

    @TempDir
    Path dir;

    @Test
    void twoProcessesMergeTheirMarksAndTheFileNamesNoEntry() throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.file(dir.resolve("kek"));
        Path file = HighWaterMarks.file(dir.resolve("state"), "etcd", new EtcdLayout("/fleet"));
        KeyringEntry alice = new KeyringEntry("canary-service-Hz40", "alice");
        KeyringEntry bob = new KeyringEntry("canary-service-Hz40", "bob");
        HighWaterMarks one = new HighWaterMarks(file, kek);
        HighWaterMarks two = new HighWaterMarks(file, kek);
        one.raise(alice, 7);
        one.raise(bob, 3);
        one.raiseGeneration(2);
        one.close();
        two.raise(bob, 5);
        two.raise(alice, 1);
        two.close();

        HighWaterMarks next = new HighWaterMarks(file, kek);
        assertThat(next.counter(alice)).isEqualTo(7);
        assertThat(next.counter(bob)).isEqualTo(5);
        assertThat(next.generation()).isEqualTo(2);
        assertThat(next.counter(new KeyringEntry("canary-service-Hz40", "carol"))).isZero();
        next.close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(file)).doesNotContain("canary").doesNotContain("Hz40").doesNotContain("alice");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        // another key-encryption key, another fleet: its entries are other ids
        HighWaterMarks other = new HighWaterMarks(file, KeyEncryptionKey.file(dir.resolve("other-kek")));
        assertThat(other.counter(alice)).isZero();
        assertThat(other.generation()).isZero();
        other.close();
    }
}
