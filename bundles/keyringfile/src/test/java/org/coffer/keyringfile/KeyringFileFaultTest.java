package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyring file under other programs' writes, kills and rewrites. */
class KeyringFileFaultTest {

    @TempDir
    Path dir;

    @Test
    void aSameSizeRewriteThatRestoresTheModificationTimeIsSeen() throws Exception {
        Path file = dir.resolve("k.cfg");
        KeyringFileStore store = new KeyringFileStore(file);
        store.put("svc", "alice", "one");
        assertThat(store.get("svc", "alice")).contains("one");
        FileTime modified = Files.getLastModifiedTime(file);
        String before = Files.readString(file);
        // rewritten in place at the same size, the time put back: as cp -p does
        Files.writeString(file, before.replace("one", "two"));
        Files.setLastModifiedTime(file, modified);
        assertThat(Files.size(file)).isEqualTo(before.length());
        assertThat(store.get("svc", "alice")).contains("two");
    }

    /**
     * Python's keyring rewrites its file in place: truncate, then write. A Coffer write
     * that reads the file in between must not save the empty or partial copy over it.
     */
    @Test
    void aWriteDuringAnInPlaceRewriteKeepsEveryEntryOfTheOtherProgram() throws Exception {
        Path file = dir.resolve("keyring_pass.cfg");
        KeyringFileStore seed = new KeyringFileStore(file);
        seed.update(ini -> {
            for (int i = 0; i < 400; i++) {
                ini.set("python", "user" + i, "\nAAAA");
            }
            return Boolean.TRUE;
        });
        AtomicBoolean running = new AtomicBoolean(true);
        Thread inPlaceWriter = new Thread(() -> {
            try {
                while (running.get()) {
                    byte[] content = Files.readAllBytes(file);
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        Thread.sleep(20);
                        channel.write(ByteBuffer.wrap(content));
                    }
                    Thread.sleep(150);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "in-place writer");
        inPlaceWriter.start();
        try {
            for (int i = 0; i < 20; i++) {
                // a new store each time, as a one-shot command that has never read the file
                new KeyringFileStore(file).put("coffer", "user" + i, "\nBBBB");
                assertThat(new KeyringFileStore(file).entries(null)).filteredOn(e -> e.service().equals("python"))
                        .hasSizeBetween(0, 400);
            }
        } finally {
            running.set(false);
            inPlaceWriter.join();
        }
        KeyringFileStore after = new KeyringFileStore(file);
        assertThat(after.entries(null)).filteredOn(e -> e.service().equals("python")).hasSize(400);
    }

    @Test
    void temporaryFilesOfKilledWritesAreRemovedByTheNextWrite() throws Exception {
        Path file = dir.resolve("k.cfg");
        Path old = Files.writeString(dir.resolve(".k.cfg8214476712.tmp"), "[svc]\nold = copy\n");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(120)));
        Path recent = Files.writeString(dir.resolve(".k.cfg99.tmp"), "killed a moment ago");
        Path foreign = Files.writeString(dir.resolve(".k.cfgnotours.tmp"), "someone else's");
        Path otherFile = Files.writeString(dir.resolve(".other.cfg12.tmp"), "another file's");
        new KeyringFileStore(file).put("svc", "alice", "x");
        assertThat(old).doesNotExist();
        assertThat(recent).doesNotExist();
        assertThat(foreign).exists();
        assertThat(otherFile).exists();
    }

    @Test
    void anEmptyFileThatStaysEmptyIsAnEmptyKeyring() throws Exception {
        Path file = Files.writeString(dir.resolve("k.cfg"), "");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
        KeyringFileStore store = new KeyringFileStore(file);
        store.put("svc", "alice", "x");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("[svc]\nalice = x\n\n");
    }
}
