package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.coffer.IntegrityException;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torn and truncated keyring files, the same for every keyring-file backend: a file cut
 * inside a value, cut after an option's {@code =}, or emptied after Coffer wrote it is an
 * {@link IntegrityException} naming the file and the reason for every read and write,
 * never "not found" and never a value, and no write builds on it; {@code repair} rebuilds
 * it from what can be read after a copy. Each file is cut in place, as Python's in-place
 * rewrite leaves it when it dies; the reads wait for the cut to settle, as they wait for
 * Python.
 */
public abstract class KeyringFileContract {

    /** Long enough that every format breaks its value over several lines. */
    private static final String LONG = "a secret long enough to fill more than one line of base64 in every format"
            + " of the keyring files";

    @TempDir
    protected Path dir;

    protected Path file;
    private byte[] whole;

    /**
     * @param file a keyring file of this backend's format
     * @return a backend over it, unlocked where it has a password, as a fresh process sees it
     */
    protected abstract KeyringBackend backendOver(Path file) throws Exception;

    /**
     * @return whether a cut at the end of a line inside a value is seen: a format whose
     *         values show their end (sealed JSON) sees it; plain base64 cannot
     */
    protected boolean seesCutsAtLineEnds() {
        return true;
    }

    @BeforeEach
    void threeEntries() throws Exception {
        file = dir.resolve("python_keyring").resolve("keyring.cfg");
        KeyringBackend writer = backendOver(file);
        writer.set("svc1", "alice", Secret.of(LONG));
        writer.set("svc2", "alice", Secret.of("second"));
        writer.set("svc2", "carol", Secret.of("third"));
        whole = Files.readAllBytes(file);
    }

    /** Cuts the file in place, keeping its inode, as a rewrite that died leaves it. */
    private byte[] cutAt(int length) throws Exception {
        byte[] cut = Arrays.copyOf(whole, length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(cut);
        return cut;
    }

    private int offsetOf(String text, int from) {
        int at = new String(whole, StandardCharsets.ISO_8859_1).indexOf(text, from);
        assertThat(at).as("'%s' in the file", text).isNotNegative();
        return at;
    }

    /** Where svc1's value starts: after {@code alice = } and its newline. */
    private int svc1Value() {
        return offsetOf("\n", offsetOf("alice =", offsetOf("[svc1]", 0))) + 1;
    }

    private void assertTorn(KeyringBackend backend, byte[] content, String why) throws Exception {
        assertThatThrownBy(() -> backend.get("svc2", "alice")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("torn or truncated")
                .hasMessageContaining("'alice' in 'svc2'").hasMessageContaining(why)
                .hasMessageContaining("keyring:repair " + backend.name());
        assertThatThrownBy(() -> backend.get("svc1", "alice")).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> backend.entries()).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> backend.set("svc3", "dave", Secret.of("new"))).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("Nothing was written");
        assertThatThrownBy(() -> backend.delete("svc2", "alice")).isInstanceOf(IntegrityException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aFileCutInsideAValueIsAnErrorForEveryEntryAndEveryWrite() throws Exception {
        byte[] cut = cutAt(svc1Value() + 10);
        assertTorn(backendOver(file), cut, "'alice' in 'svc1'");
    }

    /** Python rewrites in place: a file cut a moment ago is waited for, and read once it is whole again. */
    @Test
    void aFileCutAMomentAgoThatSettlesWholeIsRead() throws Exception {
        KeyringBackend backend = backendOver(file);
        cutAt(svc1Value() + 10);
        Thread rewrite = new Thread(() -> {
            try {
                // the rest of an in-place rewrite, as Python's write lands a few milliseconds after its
                // truncate: written over the cut file from its start, so the file is never empty meanwhile
                Thread.sleep(30);
                Files.write(file, whole, java.nio.file.StandardOpenOption.WRITE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "in-place rewrite");
        rewrite.start();
        try {
            assertThat(backend.get("svc2", "alice").map(Secret::reveal)).contains("second");
        } finally {
            rewrite.join();
        }
    }

    @Test
    void aFileCutAtTheEndOfALineInsideAValueIsAnError() throws Exception {
        if (!seesCutsAtLineEnds()) {
            return;
        }
        int end = offsetOf("[svc2]", 0);
        for (int at = svc1Value(); at < end; at = offsetOf("\n", at) + 1) {
            if (new String(whole, at, end - at, StandardCharsets.UTF_8).isBlank()) {
                break;
            }
            cutAt(at);
            assertThatThrownBy(() -> backendOver(file).get("svc2", "alice")).as("cut at %d", at)
                    .isInstanceOf(IntegrityException.class).hasMessageContaining("'alice' in 'svc1'");
            Files.write(file, whole);
        }
    }

    @Test
    void aLastLineCutAfterItsEqualsSignIsAnErrorNotAnEmptySecret() throws Exception {
        byte[] cut = cutAt(offsetOf("carol =", 0) + "carol =".length());
        KeyringBackend backend = backendOver(file);
        assertThatThrownBy(() -> backend.get("svc2", "carol")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'carol' in 'svc2'")
                .hasMessageContaining("which is empty");
        assertTorn(backend, cut, "ends without a newline");
    }

    @Test
    void aWholeFileWithoutItsLastNewlinesStaysReadable() throws Exception {
        int end = whole.length;
        while (Character.isWhitespace(whole[end - 1])) {
            end--;
        }
        cutAt(end);
        KeyringBackend backend = backendOver(file);
        assertThat(backend.get("svc2", "carol").map(Secret::reveal)).contains("third");
        backend.set("svc3", "dave", Secret.of("new"));
        assertThat(backendOver(file).get("svc2", "carol").map(Secret::reveal)).contains("third");
    }

    @Test
    void anEmptiedFileThatCofferWroteIsAnErrorAndNoWriteStartsAKeyringOverIt() throws Exception {
        byte[] cut = cutAt(0);
        assertTorn(backendOver(file), cut, "it is empty, but Coffer's lock file records that Coffer wrote "
                + whole.length + " bytes");
    }

    @Test
    void anEmptyFileThatCofferNeverWroteIsAnEmptyKeyring() throws Exception {
        Path empty = Files.createFile(dir.resolve("never-written.cfg"));
        KeyringBackend backend = backendOver(empty);
        assertThat(backend.get("svc2", "alice")).isEmpty();
        backend.set("svc2", "alice", Secret.of("first"));
        assertThat(backendOver(empty).get("svc2", "alice").map(Secret::reveal)).contains("first");
    }

    @Test
    void repairKeepsACopyOwnerOnlyAndRebuildsFromTheEntriesThatCanBeRead() throws Exception {
        byte[] cut = cutAt(offsetOf("carol =", 0) + "carol =".length());
        KeyringBackend backend = backendOver(file);
        String report = backend.repair();
        List<Path> copies;
        try (var listing = Files.list(file.getParent())) {
            copies = listing.filter(p -> p.getFileName().toString().startsWith("keyring.cfg.damaged-"))
                    .collect(Collectors.toList());
        }
        assertThat(copies).hasSize(1);
        assertThat(Files.readAllBytes(copies.get(0))).isEqualTo(cut);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copies.get(0)))).isEqualTo("rw-------");
        assertThat(report).contains(copies.get(0).toString()).contains("'carol' in 'svc2'").doesNotContain("third");
        assertThat(backend.get("svc2", "alice").map(Secret::reveal)).contains("second");
        assertThat(backend.get("svc1", "alice").map(Secret::reveal)).contains(LONG);
        assertThat(backend.get("svc2", "carol")).isEmpty();
        backend.set("svc2", "carol", Secret.of("again"));
        assertThat(backendOver(file).get("svc2", "carol").map(Secret::reveal)).contains("again");
        assertThat(backend.repair()).contains("is whole");
    }

    @Test
    void repairOfAnEmptiedFileLetsTheNextWriteStartAnew() throws Exception {
        cutAt(0);
        KeyringBackend backend = backendOver(file);
        assertThat(backend.repair()).contains("damaged-").contains("from the 0 entries");
        assertThat(backend.get("svc2", "alice")).isEmpty();
        backend.set("svc2", "alice", Secret.of("fresh"));
        assertThat(backendOver(file).get("svc2", "alice").map(Secret::reveal)).contains("fresh");
    }
}
