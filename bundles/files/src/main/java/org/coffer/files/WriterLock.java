package org.coffer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.time.Duration;
import java.util.Set;

/**
 * The writer lock of a file: an advisory lock on {@code <file>.lock} beside it, which
 * serialises Coffer's writers of the file in this and other processes, and a short note
 * in the lock file that each holder leaves for the next (which version it wrote).
 *
 * @since 2.0
 */
public final class WriterLock implements AutoCloseable {

    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @return the note the last holder left in the lock file (at most 256 bytes), or
     *         an empty string
     * @throws IOException if the lock file cannot be read
     */
    public String note() throws IOException {
        return readNote(channel);
    }

    /**
     * Leaves a note for the next holder, for example which version of the file this
     * holder wrote. The note holds no secret: the lock file is not protected as the
     * file is.
     *
     * @param text the note
     * @throws IOException if the lock file cannot be written
     */
    public void note(String text) throws IOException {
        channel.truncate(0);
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long position = 0;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /**
     * Takes the writer lock of a file: an advisory lock on {@code <file>.lock} beside
     * it, held until the returned handle is closed. Waits up to 30 seconds.
     *
     * @param file the file whose writers are to be serialised
     * @return the held lock
     * @throws IOException if the lock file cannot be opened or the wait timed out
     */
    public static WriterLock take(Path file) throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        AtomicFile.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel channel = openLockFile(lockFile);
        long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        return new WriterLock(channel, lock);
                    }
                } catch (OverlappingFileLockException heldInThisProcess) {
                    // another thread of this process holds it: wait like for another process
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("Timed out after " + LOCK_TIMEOUT.toSeconds() + " s waiting for the lock "
                            + lockFile + "; another process is writing the keyring file");
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new IOException("Interrupted while waiting for the lock " + lockFile, e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads the note the last holder of a file's {@link #take} left, without taking the
     * lock: what a reader learns of the last version a writer recorded. A note being
     * rewritten at that moment may read empty.
     *
     * @param file the file whose lock file holds the note
     * @return the note, or an empty string when there is no lock file
     * @throws IOException if the lock file exists and cannot be read
     */
    public static String note(Path file) throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return readNote(channel);
        } catch (java.nio.file.NoSuchFileException noLockFileYet) {
            return "";
        }
    }

    /** @return the first 256 bytes of a lock file, as text */
    private static String readNote(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read what there is
        }
        return new String(buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static FileChannel openLockFile(Path lockFile) throws IOException {
        try {
            FileAttribute<?>[] attributes = OwnerOnly.file();
            // a link put there by somebody else must not make Coffer create or open its target
            return FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes);
        } catch (AccessDeniedException e) {
            throw new IOException("Cannot open the lock file " + lockFile + ": permission denied", e);
        } catch (IOException e) {
            if (Files.isSymbolicLink(lockFile)) {
                throw new IOException("The lock file " + lockFile + " is a symbolic link; Coffer does not follow"
                        + " links for its lock files: remove it", e);
            }
            throw e;
        }
    }
}
