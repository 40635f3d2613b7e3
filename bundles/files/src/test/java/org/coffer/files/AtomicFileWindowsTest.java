package org.coffer.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coffer's files on Windows, where there are no POSIX modes: access lists with the
 * owner alone, and a replacement that waits while another program holds the file open
 * without sharing its deletion (as Python's {@code open} does). {@code mvn verify} runs
 * it in a Windows JVM under Wine, whose file system enforces both.
 */
@EnabledOnOs(OS.WINDOWS)
class AtomicFileWindowsTest {

    @TempDir
    Path dir;

    @Test
    void filesAndFoldersCofferMakesHaveTheOwnerAloneInTheirAccessList() throws Exception {
        Path file = dir.resolve("made/by/coffer/keyring_pass.cfg");
        AtomicFile.write(file, "[svc]\nalice = x\n".getBytes(UTF_8));
        UserPrincipal me = OwnerOnly.currentUser();
        for (Path each : List.of(file, file.getParent(), dir.resolve("made"))) {
            assertThat(Files.getOwner(each)).as("owner of %s", each).isEqualTo(me);
            assertThat(othersAllowed(each)).as("others in the access list of %s", each).isEmpty();
        }
        assertThat(OwnerOnly.whyNotPrivate(file.getParent())).isNull();
        try (WriterLock lock = WriterLock.take(file)) {
            assertThat(othersAllowed(file.resolveSibling("keyring_pass.cfg.lock"))).isEmpty();
        }
    }

    @Test
    void aFolderOthersMayEnterIsNamedWithTheLineThatClosesItAndClosed() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("open"), OwnerOnly.folder());
        UserPrincipal everyone = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("Everyone");
        AclFileAttributeView view = Files.getFileAttributeView(folder, AclFileAttributeView.class);
        List<AclEntry> acl = new ArrayList<>(view.getAcl());
        acl.add(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(everyone)
                .setPermissions(AclEntryPermission.READ_DATA, AclEntryPermission.EXECUTE).build());
        view.setAcl(acl);

        assertThat(OwnerOnly.whyNotPrivate(folder)).contains("lets " + everyone.getName() + " in")
                .contains("icacls \"" + folder + "\" /inheritance:r");
        OwnerOnly.restrictFolder(folder);
        assertThat(OwnerOnly.whyNotPrivate(folder)).isNull();
    }

    @Test
    void aReplacementWaitsWhileAnotherProgramHoldsTheFileOpen() throws Exception {
        Path file = dir.resolve("keyring_pass.cfg");
        AtomicFile.write(file, "old".getBytes(UTF_8));
        CountDownLatch held = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            try (FileChannel open = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.NOSHARE_DELETE)) {
                held.countDown();
                Thread.sleep(400); // another program's read, as long as that
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicFile.write(file, "new".getBytes(UTF_8));

        holder.get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(file)).isEqualTo("new");
    }

    @Test
    void aFileHeldOpenLongerIsLeftAsItWasAndTheErrorSaysWhy() throws Exception {
        Path file = dir.resolve("keyring_pass.cfg");
        AtomicFile.write(file, "old".getBytes(UTF_8));
        try (FileChannel open = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.NOSHARE_DELETE)) {
            assertThatThrownBy(() -> AtomicFile.write(file, "new".getBytes(UTF_8)))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("another program holds it open").hasMessageContaining("as it was");
        }
        assertThat(Files.readString(file)).isEqualTo("old");
        try (var left = Files.list(dir)) {
            assertThat(left).as("no temporary file left").containsExactly(file);
        }
    }

    /** @return the principals other than the owner and Windows' own accounts that the access list allows in */
    private static List<String> othersAllowed(Path path) throws Exception {
        UserPrincipal owner = Files.getOwner(path);
        List<String> others = new ArrayList<>();
        for (AclEntry entry : Files.getFileAttributeView(path, AclFileAttributeView.class).getAcl()) {
            String name = entry.principal().getName();
            if (entry.type() == AclEntryType.ALLOW && !entry.principal().equals(owner)
                    && !name.equals("NT AUTHORITY\\SYSTEM") && !name.equals("BUILTIN\\Administrators")) {
                others.add(name);
            }
        }
        return others;
    }
}
