package org.coffer.keyringfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.coffer.files.AtomicFile;
import org.coffer.files.WriterLock;
import org.coffer.files.FileStamp;
import org.coffer.files.IniFile;

/** Reads one version of a keyring file for {@link KeyringFileStore}, waiting for a torn-looking one to settle. */
final class KeyringFileLoader {

    private static final long MAX_SETTLE_MILLIS = 2000;
    private static final long EMPTY_SETTLE_MILLIS = 1000;

    private final Path file;
    private final KeyringValueCheck values;
    volatile long maxSize = AtomicFile.MAX_SIZE;

    KeyringFileLoader(Path file, KeyringValueCheck values) {
        this.file = file;
        this.values = values;
    }

    /**
     * Reads and parses the file as one version: the stamp is the same before and after
     * the read. A version that looks torn is read again once the file has settled; one
     * that settles torn is an error.
     *
     * @param known the version read last, or {@code null}
     * @param settleFirst whether to wait for any recent change to settle
     * @param forWrite whether a file that never settles is an error rather than read as it is
     * @throws TornKeyringFileException if the settled file is torn or truncated
     * @throws IOException if the file cannot be read, or keeps changing before a write
     */
    Snapshot load(Snapshot known, boolean settleFirst, boolean forWrite) throws IOException {
        long deadline = System.currentTimeMillis() + MAX_SETTLE_MILLIS;
        while (true) {
            FileStamp before = FileStamp.of(file);
            if (before == null) {
                return new Snapshot(new IniFile(), null, null);
            }
            byte[] bytes;
            try {
                bytes = read();
            } catch (NoSuchFileException removedMeanwhile) {
                continue;
            }
            if (!FileStamp.same(before, FileStamp.of(file))) {
                continue;
            }
            // an empty file is an in-place writer between its truncate and its write far more
            // often than a truncation: it is given longer to settle, as a loaded machine may hold
            // that writer a while
            long wait = before.millisUntilSettled(bytes.length == 0 ? EMPTY_SETTLE_MILLIS : KeyringFileStore.SETTLE_MILLIS);
            KeyringFileReading reading = settleFirst && wait > 0 ? null : reading(bytes);
            boolean suspect = reading == null || bytes.length == 0 || bytes[bytes.length - 1] != '\n'
                    || !reading.whole();
            if (!suspect && known != null && wait > 0) {
                suspect = !reading.ini.hasAll(known.ini);
            }
            if (suspect && wait > 0) {
                if (System.currentTimeMillis() < deadline) {
                    pause(Math.min(wait, KeyringFileStore.SETTLE_MILLIS));
                    continue;
                }
                if (forWrite) {
                    throw new IOException(file + " kept changing for " + MAX_SETTLE_MILLIS + " ms: another program"
                            + " is rewriting it in place without a lock. Nothing was written; try again");
                }
            }
            if (reading == null) {
                reading = reading(bytes);
            }
            if (reading.torn != null) {
                throw new TornKeyringFileException(file, reading.torn);
            }
            if (reading.failure != null) {
                throw reading.failure;
            }
            return new Snapshot(reading.ini, before, Snapshot.hash(bytes));
        }
    }

    /** Parses the bytes; an empty file is torn when the lock file records that Coffer wrote a longer one. */
    KeyringFileReading reading(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            long written = FileStamp.sizeIn(WriterLock.note(file));
            if (written > 0) {
                return KeyringFileReading.torn("it is empty, but Coffer's lock file records that Coffer wrote "
                        + written + " bytes to it last");
            }
        }
        return KeyringFileReading.of(file, bytes, values);
    }

    byte[] read() throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null,
                    "a folder, where the keyring file should be");
        }
        return AtomicFile.readLimited(file, maxSize);
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted while waiting for a keyring file to settle");
        }
    }

    /** One parsed version of the file. */
    static final class Snapshot {
        final IniFile ini;
        final FileStamp stamp;
        final byte[] hash;
        final int entries;
        volatile long verified = System.nanoTime();

        Snapshot(IniFile ini, FileStamp stamp, byte[] hash) {
            this.ini = ini;
            this.stamp = stamp;
            this.hash = hash;
            this.entries = ini.size();
        }

        /**
         * A fingerprint of the content, to notice a change that kept size and times: CRC-32C
         * and CRC-32 side by side (64 bits), which the JVM computes with the processor's CRC
         * instructions, a hundred times faster than SHA-256 in a command's short-lived JVM.
         * Whoever can write the file can change it anyway: this finds changes, it does not
         * authenticate them.
         */
        static byte[] hash(byte[] bytes) {
            java.util.zip.CRC32C castagnoli = new java.util.zip.CRC32C();
            castagnoli.update(bytes, 0, bytes.length);
            java.util.zip.CRC32 ieee = new java.util.zip.CRC32();
            ieee.update(bytes, 0, bytes.length);
            return java.nio.ByteBuffer.allocate(Long.BYTES)
                    .putInt((int) castagnoli.getValue()).putInt((int) ieee.getValue()).array();
        }
    }
}
