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
import java.time.Duration;
import java.util.Set;

/**
 * Writes files so that a reader sees either the old or the new content, never a part:
 * a temporary file in the same folder, flushed to disk, renamed over the old one, mode
 * 0600. {@link WriterLock} serialises writers in this and other processes.
 */
public final class AtomicFile {

    /** How long a replacement is retried on Windows while another program holds the file open. */
    private static final Duration HELD_OPEN_RETRY = Duration.ofSeconds(2);

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
            replace(temp, file);
            syncDirectory(file.toAbsolutePath().getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Renames the temporary file over the file. Windows refuses that while another
     * program has the file open without sharing its deletion (Python's {@code open},
     * an editor, a virus scanner): retried there, with growing pauses, for
     * {@link #HELD_OPEN_RETRY}; then the old content stays, and the error says why.
     */
    private static void replace(Path temp, Path file) throws IOException {
        long deadline = System.nanoTime() + HELD_OPEN_RETRY.toNanos();
        for (int attempt = 1;; attempt++) {
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (java.nio.file.AccessDeniedException held) {
                if (OwnerOnly.POSIX || System.nanoTime() > deadline) {
                    throw OwnerOnly.POSIX ? held : new java.nio.file.AccessDeniedException(file.toString(), null,
                            "another program holds it open (tried " + attempt + " times in "
                                    + HELD_OPEN_RETRY.toMillis() + " ms); the file is as it was");
                }
                try {
                    Thread.sleep(Math.min(200, 10L * attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw held;
                }
            }
        }
    }

    /** @return a temporary file beside the file, mode 0600, holding the content flushed to disk */
    static Path writeTemporary(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", OwnerOnly.file());
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

    static void createDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        for (Path above = dir; above != null; above = above.getParent()) {
            if (Files.exists(above) && !Files.isDirectory(above)) {
                throw new java.nio.file.FileSystemException(above.toString(), null,
                        "not a folder, so no file can be made in it");
            }
        }
        Files.createDirectories(dir, OwnerOnly.folder());
    }

    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupportedHere) {
            // some file systems cannot sync a folder; the rename itself is still atomic
        }
    }
}
