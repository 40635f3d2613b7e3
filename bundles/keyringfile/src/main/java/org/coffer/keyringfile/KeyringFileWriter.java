package org.coffer.keyringfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import org.coffer.files.AtomicFile;
import org.coffer.files.WriterLock;
import org.coffer.files.FileStamp;
import org.coffer.files.FileVersion;
import org.coffer.files.IniFile;

/**
 * The write of {@link KeyringFileStore}, under its writer lock, beside programs that
 * rewrite the file in place without a lock (Python's keyring: read, truncate, write).
 *
 * <p>The change is applied to the version just read and renamed over the file only
 * while the file is still that version, byte for byte ({@link FileVersion#replace}). When
 * another program wrote it meanwhile, the file is read again at once and the change
 * applied anew: right after another program's write is when the file is quiet longest,
 * so retrying at once lets Coffer's write land between a fast writer's. A version that
 * looks cut in the middle of another program's write (empty, torn, not ending in the
 * blank line configparser ends a file with, or, for {@value #MISSING_MILLIS} ms, without
 * entries the last read had) is read again a millisecond later; an empty or cut one for
 * up to {@value #TORN_SETTLE_MILLIS} ms, before it counts as torn.
 *
 * <p>A program that opened the file just before the rename writes into the replaced
 * file (its open truncated it, so a change shows at once). So the replaced file is
 * watched for {@value #WATCH_MILLIS} ms after the first rename ({@value #OWN_WATCH_MILLIS} ms
 * when it replaced a version Coffer wrote itself, and after later renames), and the entries
 * another program added or changed there are carried into the new file by one more
 * such write. Then the write waits for the file's next change (a rewrite that read the
 * file before the rename lands as that), and what the change wrote (its own entries and
 * those it carried) and that rewrite undid is set again at once, while the other program
 * pauses before its next read; up to {@value #MOST_REAPPLIED} times.
 */
final class KeyringFileWriter {

    /** How long a write keeps trying while other programs keep changing the file. */
    static final long ATTEMPT_MILLIS = 5000;
    static final long WATCH_MILLIS = 200;
    static final long OWN_WATCH_MILLIS = 20;
    /** How long the replaced file is quiet after another program wrote there before it is read for good. */
    private static final long QUIET_MILLIS = 20;
    /** How long a write into the replaced file may take to become whole. */
    private static final long WHOLE_MILLIS = 2000;
    /** The most writes one change makes: each after the first carries what another program wrote meanwhile. */
    private static final int MOST_ROUNDS = 100;
    /** How often what a change wrote is set again after another program's rewrite undid it. */
    private static final int MOST_REAPPLIED = 50;
    /** How long an empty or cut version must stay so before a write takes it as torn. */
    private static final long TORN_SETTLE_MILLIS = 1000;
    /** For how long a version without entries the last read had is read again. */
    private static final long MISSING_MILLIS = 50;

    private final Path file;
    private final KeyringFileLoader loader;
    private final WriterLock lock;

    KeyringFileWriter(Path file, KeyringFileLoader loader, WriterLock lock) {
        this.file = file;
        this.loader = loader;
        this.lock = lock;
    }

    /**
     * @param change the change; returns whether it changed anything
     * @param known the version read last, or {@code null}
     * @return what the change returned
     */
    boolean apply(Function<IniFile, Boolean> change, IniFile known) throws IOException {
        Function<IniFile, Boolean> next = change;
        KeyringFileDiff written = KeyringFileDiff.NONE;
        int reapplied = 0;
        for (int round = 0; round < MOST_ROUNDS; round++) {
            Written write = writeOnce(next, round == 0 ? known : null);
            if (write == null) {
                return round > 0;
            }
            written = written.and(write.mine);
            KeyringFileDiff more;
            FileStamp renamed = Objects.requireNonNull(FileStamp.of(file), "the file just written");
            lock.note(renamed.id());
            boolean busy = round > 0 || !write.byCoffer;
            try (FileVersion replaced = write.replaced) {
                // a writer's open truncates the replaced file at once: later rounds need the short watch only
                more = watch(replaced, round == 0 && busy ? WATCH_MILLIS : OWN_WATCH_MILLIS);
            }
            // what this change wrote, its own entries and those it carried, and a rewrite undid
            KeyringFileDiff undone = reapplied < MOST_REAPPLIED
                    ? undone(written, renamed, busy ? WATCH_MILLIS : OWN_WATCH_MILLIS) : KeyringFileDiff.NONE;
            if (!undone.isEmpty()) {
                reapplied++;
            }
            more = more.and(undone);
            if (more.isEmpty()) {
                return true;
            }
            next = more.change();
        }
        throw new IOException(file + ": another program kept writing into the versions Coffer replaced, "
                + MOST_ROUNDS + " times in a row; Coffer's change was written, what that program wrote last may"
                + " be missing");
    }

    /** What one write replaced, still open, and what it changed. */
    private static final class Written {
        final FileVersion replaced;
        final boolean byCoffer;
        final KeyringFileDiff mine;

        Written(FileVersion replaced, boolean byCoffer, KeyringFileDiff mine) {
            this.replaced = replaced;
            this.byCoffer = byCoffer;
            this.mine = mine;
        }
    }

    /** @return the replaced version, open, or {@code null} when the change changed nothing */
    private Written writeOnce(Function<IniFile, Boolean> change, IniFile known) throws IOException {
        long start = System.currentTimeMillis();
        long deadline = start + ATTEMPT_MILLIS;
        while (true) {
            FileVersion version = FileVersion.read(file, loader.maxSize);
            boolean kept = false;
            try {
                KeyringFileReading reading = version.exists() ? loader.reading(version.bytes()) : null;
                long now = System.currentTimeMillis();
                if (now < deadline && cutMidway(version, reading, now - start < MISSING_MILLIS ? known : null)) {
                    pause();
                    continue;
                }
                IniFile ini = reading == null ? new IniFile() : whole(reading);
                if (!change.apply(ini)) {
                    return null;
                }
                boolean byCoffer = version.exists() && version.stamp().id().equals(lock.note());
                if (version.replace(ini.render().getBytes(StandardCharsets.UTF_8))) {
                    kept = true;
                    IniFile base = reading == null ? new IniFile() : whole(loader.reading(version.bytes()));
                    return new Written(version, byCoffer, KeyringFileDiff.between(base, ini));
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(file + " changed before each of Coffer's writes for " + ATTEMPT_MILLIS
                            + " ms: another program keeps rewriting it in place without a lock. Nothing was"
                            + " written; try again");
                }
            } finally {
                if (!kept) {
                    version.close();
                }
            }
        }
    }

    private IniFile whole(KeyringFileReading reading) throws TornKeyringFileException {
        if (reading.torn != null) {
            throw new TornKeyringFileException(file, reading.torn);
        }
        if (reading.failure != null) {
            throw reading.failure;
        }
        return reading.ini;
    }

    /** @return whether a version another program changed a moment ago looks caught in the middle of its write */
    private static boolean cutMidway(FileVersion version, KeyringFileReading reading, IniFile known) {
        if (reading == null) {
            return false;
        }
        if (!endsAsWritten(version.bytes()) || !reading.whole()) {
            // a writer that truncated the file may be held up for a while on a busy machine
            return version.stamp().millisUntilSettled(TORN_SETTLE_MILLIS) > 0;
        }
        return known != null && version.stamp().millisUntilSettled(KeyringFileStore.SETTLE_MILLIS) > 0
                && !reading.ini.hasAll(known);
    }

    /**
     * Python's configparser, as Coffer, ends every section with a blank line, so a whole
     * file it wrote ends in one. A big file reaches the disk in parts of 8 KiB: one that
     * ends at a line's end without the blank line is a part, not yet the whole file.
     */
    private static boolean endsAsWritten(byte[] bytes) {
        int n = bytes.length;
        return n >= 2 && bytes[n - 1] == '\n' && (bytes[n - 2] == '\n' || n >= 3 && bytes[n - 2] == '\r'
                && bytes[n - 3] == '\n');
    }

    /**
     * Watches the replaced file for what a program that had it open writes there.
     *
     * @return the entries it added or changed there
     */
    private KeyringFileDiff watch(FileVersion replaced, long millis) throws IOException {
        long start = System.currentTimeMillis();
        long end = start + millis;
        byte[] last = replaced.bytes();
        long changedAt = -1;
        while (true) {
            byte[] now = replaced.now();
            long time = System.currentTimeMillis();
            if (!Arrays.equals(now, last)) {
                last = now;
                changedAt = time;
            }
            if (changedAt >= 0) {
                if (time - changedAt >= QUIET_MILLIS && looksWhole(last) || time >= start + WHOLE_MILLIS) {
                    byte[] base = replaced.bytes();
                    return carryOver(base.length == 0 ? new IniFile() : whole(loader.reading(base)), last);
                }
            } else if (time >= end) {
                return KeyringFileDiff.NONE;
            }
            pause();
        }
    }

    private boolean looksWhole(byte[] bytes) throws IOException {
        return endsAsWritten(bytes) && loader.reading(bytes).whole();
    }

    /** @return the entries another program added or changed in the replaced file */
    private KeyringFileDiff carryOver(IniFile base, byte[] bytes) throws IOException {
        KeyringFileReading reading = loader.reading(bytes);
        if (!reading.whole()) {
            // a write cut short there (its program was killed): nothing whole to carry over
            return KeyringFileDiff.NONE;
        }
        return KeyringFileDiff.between(base, reading.ini).sets();
    }

    /**
     * @param mine what Coffer's write changed
     * @return what of it the file no longer has: a program that read the file before
     *         Coffer's rename rewrote it after
     */
    private KeyringFileDiff undone(KeyringFileDiff mine, FileStamp renamed, long millis) throws IOException {
        // a rewrite that read the file before the rename lands as the file's next change: wait for it, so
        // that what it undid is set again right after it, while its program pauses before its next read
        long changeDeadline = System.currentTimeMillis() + millis;
        while (FileStamp.same(renamed, FileStamp.of(file)) && System.currentTimeMillis() < changeDeadline) {
            pause();
        }
        long deadline = System.currentTimeMillis() + TORN_SETTLE_MILLIS;
        while (true) {
            try (FileVersion now = FileVersion.read(file, loader.maxSize)) {
                if (!now.exists()) {
                    // removed: not Coffer's to undo
                    return KeyringFileDiff.NONE;
                }
                KeyringFileReading reading = loader.reading(now.bytes());
                if (reading.whole() && endsAsWritten(now.bytes())) {
                    return mine.undoneIn(reading.ini);
                }
                if (System.currentTimeMillis() > deadline) {
                    return KeyringFileDiff.NONE;
                }
            }
            // in the middle of another program's write
            pause();
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted while writing a keyring file");
        }
    }
}
