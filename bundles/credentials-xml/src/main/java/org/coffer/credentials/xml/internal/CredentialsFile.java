package org.coffer.credentials.xml.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.coffer.CofferException;
import org.coffer.ConfigFormatException;
import org.coffer.files.AtomicFile;
import org.coffer.files.WriterLock;
import org.coffer.spi.support.CofferHome;

/** The bytes of credentials.xml on disk: its writer lock, bounded reads and atomic saves. */
final class CredentialsFile {

    /** The bytes read at once: 14 MB read in one piece take twice as long. */
    private static final int PIECE = 1 << 16;

    private final Path path;

    CredentialsFile(Path path) {
        this.path = path;
    }

    /** What a read found: the bytes and the modification time seen before reading them. */
    static final class Content {
        final byte[] bytes;
        final long modified;

        Content(byte[] bytes, long modified) {
            this.bytes = bytes;
            this.modified = modified;
        }
    }

    Path path() {
        return path;
    }

    /** @return the configured file, else {@code credentials.xml} in {@link CofferHome#conf} */
    static Path configured(String configured, UnaryOperator<String> properties, Map<String, String> environment) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return CofferHome.conf(properties, environment).resolve("credentials.xml").toAbsolutePath();
    }

    /** Runs a piece of work holding the writer lock shared with other processes. */
    <T> T locked(Supplier<T> work) {
        try (WriterLock lock = WriterLock.take(path)) {
            return work.get();
        } catch (IOException e) {
            throw new CofferException("Cannot lock " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the content, or {@code null} if there is no file
     * @throws ConfigFormatException if the file is larger than {@link AtomicFile#MAX_SIZE}; it is not read
     */
    Content read() {
        try {
            // the time before the bytes: a write in between shows as a newer time and is read again
            long modified = Files.getLastModifiedTime(path).toMillis();
            try (InputStream in = Files.newInputStream(path)) {
                byte[] bytes = bounded(in, Files.size(path));
                if (bytes.length > AtomicFile.MAX_SIZE) {
                    throw new ConfigFormatException(path, 0, 0, "a file of at most " + (AtomicFile.MAX_SIZE >> 20)
                            + " MiB (about 120,000 credentials), but it is larger; it was not read and is left as it is");
                }
                return new Content(bytes, modified);
            }
        } catch (NoSuchFileException missing) {
            return null;
        } catch (IOException e) {
            throw new CofferException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads at most {@link AtomicFile#MAX_SIZE} + 1 bytes into an array of the size the file
     * had, so that a large file is copied once; a file that grew or shrank meanwhile is read whole too.
     */
    private static byte[] bounded(InputStream in, long size) throws IOException {
        int limit = (int) AtomicFile.MAX_SIZE + 1;
        byte[] bytes = new byte[(int) Math.min(size, limit)];
        int read = 0;
        while (read < bytes.length) {
            // in pieces: one read of the whole file goes through a temporary native buffer of its size
            int piece = in.read(bytes, read, Math.min(PIECE, bytes.length - read));
            if (piece < 0) {
                return Arrays.copyOf(bytes, read);
            }
            read += piece;
        }
        byte[] more = in.readNBytes(limit - read);
        if (more.length == 0) {
            return bytes;
        }
        byte[] whole = Arrays.copyOf(bytes, read + more.length);
        System.arraycopy(more, 0, whole, read, more.length);
        return whole;
    }

    /** @return the modification time, or -1 if there is no file */
    long modified() throws IOException {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (NoSuchFileException missing) {
            return -1;
        }
    }

    /** Replaces the file atomically; the caller holds the lock. */
    void save(byte[] content) {
        if (readOnly()) {
            throw new CofferException("The credentials file " + path + " is read-only; Coffer must save it to"
                    + " encrypt its passwords and keep changes. Make it writable for this user; nothing was changed");
        }
        try {
            AtomicFile.write(path, content);
        } catch (IOException e) {
            throw new CofferException("Cannot save " + path + ": " + e.getMessage() + "; nothing was changed", e);
        }
    }

    /** Not writable, or (for an owner who may write anyway) without its owner-write bit. */
    private boolean readOnly() {
        if (!Files.exists(path)) {
            return false;
        }
        try {
            return !Files.isWritable(path)
                    || !Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_WRITE);
        } catch (UnsupportedOperationException | IOException notPosix) {
            return false;
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
