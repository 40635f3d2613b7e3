package org.coffer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One version of a file, read through a channel that stays open, for a writer that
 * shares the file with programs that rewrite it in place without a lock (Python's
 * keyring: truncate, then write). {@link #replace} renames new content over the file
 * only while the file is still this version, byte for byte. After the rename the
 * channel still reaches the replaced file, so what a program that had opened it writes
 * there can still be read ({@link #now}) and carried over. Call it holding the file's
 * {@link AtomicFile#lock}.
 *
 * @since 1.2
 */
public final class FileVersion implements AutoCloseable {

    /** How often a read is tried again when the file changed while it was read. */
    private static final int MOST_READS = 1000;

    private final Path file;
    private final FileChannel channel;
    private final FileStamp stamp;
    private final byte[] bytes;
    private final long limit;

    private FileVersion(Path file, FileChannel channel, FileStamp stamp, byte[] bytes, long limit) {
        this.file = file;
        this.channel = channel;
        this.stamp = stamp;
        this.bytes = bytes;
        this.limit = limit;
    }

    /**
     * Reads the file as one version: its stamp is the same before and after the read.
     *
     * @param file the file; it need not exist
     * @param limit the most bytes it may hold
     * @return the version, open until closed
     * @throws IOException if it cannot be read, is a folder, is larger than the limit, or
     *         changed during every one of many reads
     */
    public static FileVersion read(Path file, long limit) throws IOException {
        for (int i = 0; i < MOST_READS; i++) {
            FileStamp before = FileStamp.of(file);
            if (before == null) {
                return new FileVersion(file, null, null, new byte[0], limit);
            }
            if (Files.isDirectory(file)) {
                throw new java.nio.file.FileSystemException(file.toString(), null, "a folder, where the file should be");
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException removedMeanwhile) {
                continue;
            }
            boolean kept = false;
            try {
                byte[] bytes = readAll(file, channel, limit);
                if (FileStamp.same(before, FileStamp.of(file))) {
                    kept = true;
                    return new FileVersion(file, channel, before, bytes, limit);
                }
            } finally {
                if (!kept) {
                    channel.close();
                }
            }
        }
        throw new IOException(file + " changed during each of " + MOST_READS + " reads: another program keeps"
                + " rewriting it; try again");
    }

    /** @return whether the file existed */
    public boolean exists() {
        return channel != null;
    }

    /** @return the stamp the file had, or {@code null} when it did not exist */
    public FileStamp stamp() {
        return stamp;
    }

    /** @return the bytes this version holds; not to be changed */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * Replaces the file with the content, as {@link AtomicFile#write} does, if it is
     * still this version: the same file, size and times, and the same bytes, checked
     * after the content is on disk and just before the rename. A file that did not
     * exist is created only if it still does not.
     *
     * @param content the new content
     * @return whether the file was replaced; if not, it was left as it is
     * @throws IOException if the content could not be written; the file is unchanged
     */
    public boolean replace(byte[] content) throws IOException {
        Path temp = AtomicFile.writeTemporary(file, content);
        try {
            if (channel == null) {
                if (!createFrom(temp)) {
                    return false;
                }
            } else {
                if (!unchanged()) {
                    return false;
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            AtomicFile.syncDirectory(file.toAbsolutePath().getParent());
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A link, unlike a rename, fails when another program created the file meanwhile. */
    private boolean createFrom(Path temp) throws IOException {
        try {
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException createdMeanwhile) {
            return false;
        } catch (IOException | UnsupportedOperationException noLinksHere) {
            if (Files.exists(file)) {
                return false;
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    private boolean unchanged() throws IOException {
        // the same stamp means the path still names the file the channel reads
        if (!FileStamp.same(stamp, FileStamp.of(file))) {
            return false;
        }
        byte[] current;
        try {
            current = readAll(file, channel, limit);
        } catch (IOException grownPastTheLimit) {
            return false;
        }
        return Arrays.equals(bytes, current) && FileStamp.same(stamp, FileStamp.of(file));
    }

    /**
     * @return what the file this version was read from holds now, also after it was
     *         replaced: what a program that still had it open wrote there
     * @throws IOException if it cannot be read or grew larger than the limit
     */
    public byte[] now() throws IOException {
        return channel == null ? new byte[0] : readAll(file, channel, limit);
    }

    private static byte[] readAll(Path file, FileChannel channel, long limit) throws IOException {
        long size = channel.size();
        if (size > limit) {
            throw AtomicFile.tooLarge(file, limit);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size + 1);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, buffer.position());
            if (read <= 0) {
                break;
            }
            if (!buffer.hasRemaining() && buffer.capacity() <= limit) {
                // it grew while being read
                buffer = ByteBuffer.allocate((int) Math.min(limit + 1, buffer.capacity() * 2L)).put(buffer.flip());
            }
        }
        if (buffer.position() > limit) {
            throw AtomicFile.tooLarge(file, limit);
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
