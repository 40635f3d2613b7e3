package org.coffer.backend.etcd.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coffer.CofferException;
import org.coffer.KeyringEntry;
import org.coffer.files.AtomicFile;

/**
 * The highest counter this instance has seen for each entry of a prefix, and the highest
 * data key generation: in memory, and in a file of the user's state folder, so that the
 * next process of the same user still refuses what this one saw superseded. The file
 * names entries, and the generation, by HMAC-SHA256 under a key derived from the
 * key-encryption key, so it tells no names, and a fleet with another key-encryption key
 * starts afresh. It is written whole, atomically ({@link AtomicFile}), merged with
 * what another process wrote meanwhile: the higher mark wins, so a lost race only
 * lowers a mark until this instance writes again, and never refuses a good value. The
 * file is written on a thread of its own, so that no read or write waits for the disk,
 * and once more when the backend stops.
 */
final class HighWaterMarks {

    private static final byte[] LABEL = "coffer etcd high-water marks v1".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final SecretKeySpec key;
    private final String generationId;
    private final Object writing = new Object();
    private final ExecutorService writer;
    // guarded by this
    private final Map<String, Long> marks = new HashMap<>();
    private boolean unsaved;
    private boolean scheduled;
    private volatile String problem;

    /** Reads the marks of the file, if there is one. */
    HighWaterMarks(Path file, KeyEncryptionKey kek) {
        this.file = file;
        byte[] derived = kek.derive(LABEL);
        this.key = new SecretKeySpec(derived, "HmacSHA256");
        Arrays.fill(derived, (byte) 0);
        // no entry's names hash to it: theirs begin with two lengths that add up to the rest
        this.generationId = id("data key generation".getBytes(StandardCharsets.US_ASCII));
        try {
            merge(read(file));
        } catch (IOException e) {
            problem = "Cannot read the high-water marks " + file + ": " + e + "; rolled-back values are detected"
                    + " only against what this process sees";
        }
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "coffer-etcd-marks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return the file of a backend's marks in the state folder: one per backend name and prefix */
    static Path file(Path stateFolder, String name, EtcdLayout layout) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(layout.prefix.getBytes(StandardCharsets.UTF_8));
            String safeName = name.replaceAll("[^A-Za-z0-9._-]", "_");
            return stateFolder.resolve("etcd").resolve(safeName + "-" + HexFormat.of().formatHex(digest, 0, 8)
                    + ".marks");
        } catch (GeneralSecurityException e) {
            throw new CofferException("This Java runtime offers no SHA-256: " + e.getMessage(), e);
        }
    }

    /** @return the highest counter seen for the entry, 0 if none */
    synchronized long counter(KeyringEntry entry) {
        return marks.getOrDefault(id(entry), 0L);
    }

    /** Records a counter seen for the entry, if it is higher than the mark. */
    synchronized void raise(KeyringEntry entry, long counter) {
        raise(id(entry), counter);
    }

    /** @return the highest data key generation seen, 0 if none */
    synchronized long generation() {
        return marks.getOrDefault(generationId, 0L);
    }

    /** Records a data key generation seen, if it is higher than the mark. */
    synchronized void raiseGeneration(long generation) {
        raise(generationId, generation);
    }

    /** @return why the marks are not kept in their file, or {@code null} while they are */
    String problem() {
        return problem;
    }

    private void raise(String id, long value) {
        if (value > marks.getOrDefault(id, 0L)) {
            marks.put(id, value);
            unsaved = true;
        }
    }

    /** Has the marks written to the file soon, if they rose. */
    synchronized void saveLater() {
        if (unsaved && !scheduled && !writer.isShutdown()) {
            scheduled = true;
            writer.execute(this::save);
        }
    }

    /** Writes what is not written yet, and stops the thread that writes. */
    void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        save();
    }

    /** Writes the marks to the file if they rose, merged with what the file holds now; outside the lock of the marks. */
    private void save() {
        synchronized (writing) {
            Map<String, Long> snapshot;
            synchronized (this) {
                scheduled = false;
                if (!unsaved) {
                    return;
                }
                unsaved = false;
                snapshot = new HashMap<>(marks);
            }
            try {
                Map<String, Long> stored = read(file);
                stored.forEach((id, value) -> snapshot.merge(id, value, Math::max));
                write(snapshot);
                synchronized (this) {
                    merge(stored);
                }
                problem = null;
            } catch (IOException e) {
                synchronized (this) {
                    unsaved = true;
                }
                problem = "Cannot write the high-water marks " + file + ": " + e + "; the next process of this user"
                        + " detects rolled-back values only against what it sees itself";
            }
        }
    }

    private void merge(Map<String, Long> stored) {
        stored.forEach((id, value) -> marks.merge(id, value, Math::max));
    }

    private static Map<String, Long> read(Path file) throws IOException {
        Map<String, Long> stored = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] fields = line.strip().split(" ");
                if (fields.length == 2 && fields[1].matches("\\d{1,18}")) {
                    stored.merge(fields[0], Long.parseLong(fields[1]), Math::max);
                }
            }
        } catch (NoSuchFileException none) {
            // no marks yet
        }
        return stored;
    }

    private void write(Map<String, Long> marks) throws IOException {
        StringBuilder text = new StringBuilder();
        marks.forEach((id, value) -> text.append(id).append(' ').append(value).append('\n'));
        AtomicFile.write(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private String id(KeyringEntry entry) {
        byte[] service = entry.service().getBytes(StandardCharsets.UTF_8);
        byte[] username = entry.username().getBytes(StandardCharsets.UTF_8);
        return id(ByteBuffer.allocate(8 + service.length + username.length).putInt(service.length)
                .putInt(username.length).put(service).put(username).array());
    }

    private String id(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new CofferException("This Java runtime offers no HMAC-SHA256: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "HighWaterMarks[" + file + "]";
    }
}
