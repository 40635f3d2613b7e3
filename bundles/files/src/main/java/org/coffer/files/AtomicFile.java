package org.coffer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * Writes files so that a reader sees either the old or the new content, never a part:
 * a temporary file in the same folder, flushed to disk, renamed over the old one, mode
 * 0600. {@link #lock} serialises writers in this and other processes.
 */
public final class AtomicFile {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

    private AtomicFile() {
    }

    /**
     * Replaces the content of a file atomically, creating missing folders with mode 0700.
     *
     * @param file the file
     * @param content the new content
     * @throws IOException if the file could not be written; the old content is intact
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path temp = writeTemporary(file, content);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(file.toAbsolutePath().getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @return a temporary file beside the file, mode 0600, holding the content flushed to disk */
    static Path writeTemporary(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = POSIX
                ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /**
     * Takes the writer lock of a file: an advisory lock on {@code <file>.lock} beside
     * it, held until the returned handle is closed. Waits up to 30 seconds.
     *
     * @param file the file whose writers are to be serialised
     * @return the held lock
     * @throws IOException if the lock file cannot be opened or the wait timed out
     */
    public static Lock lock(Path file) throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel channel = openLockFile(lockFile);
        long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        return new Lock(channel, lock);
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
     * Reads the note the last holder of a file's {@link #lock} left, without taking the
     * lock: what a reader learns of the last version a writer recorded. A note being
     * rewritten at that moment may read empty.
     *
     * @param file the file whose lock file holds the note
     * @return the note, or an empty string when there is no lock file
     * @throws IOException if the lock file exists and cannot be read
     * @since 1.1
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
            FileAttribute<?>[] attributes = POSIX
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
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

    /** The largest keyring file Coffer reads by default: a bigger one is refused, never read into memory whole. */
    public static final long MAX_SIZE = 16L << 20;

    /**
     * Reads a whole file of at most {@link #MAX_SIZE} bytes.
     *
     * @param file the file
     * @return its bytes
     * @throws IOException if it cannot be read, or is larger than the limit (it is left as it is)
     */
    public static byte[] readLimited(Path file) throws IOException {
        return readLimited(file, MAX_SIZE);
    }

    /**
     * Reads a whole file of at most {@code limit} bytes.
     *
     * @param file the file
     * @param limit the most it may hold, at most {@code Integer.MAX_VALUE - 8}
     * @return its bytes
     * @throws IOException if it cannot be read, or is larger than the limit (it is left as it is)
     */
    public static byte[] readLimited(Path file, long limit) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw tooLarge(file, limit);
            }
            return bytes;
        }
    }

    static IOException tooLarge(Path file, long limit) {
        return new IOException(file + " is larger than " + sizeText(limit) + ", the most this keyring file"
                + " may hold (max.file.size.mib of its backend); it was not read, and is left as it is");
    }

    private static String sizeText(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    /**
     * Removes the temporary files {@link #write} leaves beside a file when its process is
     * killed midway: those of this file's naming. Call it holding the file's {@link #lock}:
     * every write of the file happens under that lock, so while it is held no temporary
     * file of this naming belongs to a write under way, whatever its age.
     *
     * @param file the file
     * @return how many were removed
     * @throws IOException if the folder cannot be listed
     */
    public static int removeOrphanedTemporaries(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String prefix = "." + file.getFileName();
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> temporaries = Files.newDirectoryStream(dir,
                candidate -> isTemporaryOf(candidate.getFileName().toString(), prefix))) {
            for (Path temporary : temporaries) {
                if (Files.isRegularFile(temporary, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(temporary)) {
                    removed++;
                }
            }
        } catch (java.nio.file.NoSuchFileException noFolderYet) {
            return 0;
        }
        return removed;
    }

    /** {@code Files.createTempFile(dir, prefix, ".tmp")} names a file prefix, digits, ".tmp". */
    private static boolean isTemporaryOf(String name, String prefix) {
        if (!name.startsWith(prefix) || !name.endsWith(".tmp") || name.length() <= prefix.length() + 4) {
            return false;
        }
        for (int i = prefix.length(); i < name.length() - 4; i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static void createDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        for (Path above = dir; above != null; above = above.getParent()) {
            if (Files.exists(above) && !Files.isDirectory(above)) {
                throw new java.nio.file.FileSystemException(above.toString(), null,
                        "not a folder, so no file can be made in it");
            }
        }
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectories(dir);
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupportedHere) {
            // some file systems cannot sync a folder; the rename itself is still atomic
        }
    }

    /** A held writer lock. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
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
    }
}
