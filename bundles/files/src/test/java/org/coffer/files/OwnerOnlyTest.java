package org.coffer.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Files and folders only their owner may open, with POSIX modes (Windows: {@link AtomicFileWindowsTest}). */
@DisabledOnOs(OS.WINDOWS)
class OwnerOnlyTest {

    @TempDir
    Path dir;

    @Test
    void makesFoldersAndFilesTheOwnersOnly() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("state"), OwnerOnly.folder());
        OwnerOnly.restrictFolder(folder);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(OwnerOnly.whyNotPrivate(folder)).isNull();
        Path file = Files.createFile(folder.resolve("key"), OwnerOnly.file());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(OwnerOnly.whyNotPrivateFile(file)).isNull();
    }

    @Test
    void namesWhatOpensAFolderOrAFileToOthersAndHowToCloseIt() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(OwnerOnly.whyNotOwn(folder)).isNull();
        assertThat(OwnerOnly.whyNotPrivate(folder)).contains(folder + " has mode rwxr-xr-x").contains("chmod 700 " + folder);
        OwnerOnly.restrictFolder(folder);
        assertThat(OwnerOnly.whyNotPrivate(folder)).isNull();

        Path file = Files.writeString(dir.resolve("key"), "k");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(OwnerOnly.whyNotPrivateFile(file)).contains("may be read by others (mode rw-r--r--)")
                .contains("chmod 600");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertThat(OwnerOnly.whyNotPrivateFile(link)).contains("not a regular file");
        assertThat(OwnerOnly.whyNotOwn(Files.createSymbolicLink(dir.resolve("folder-link"), folder)))
                .contains("is not a folder");
    }
}
