package org.coffer.crypto.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.coffer.CofferException;
import org.coffer.files.AtomicFile;
import org.coffer.files.WriterLock;

/**
 * The master password file, as Pineapple keeps it: its content is the password (one
 * trailing newline an editor adds is ignored). Created with a random value and mode
 * 0600 on request.
 *
 * <p>Also the journal of a master-password rotation. A rotation stages the new password
 * and every re-encrypted file beside their originals, commits by writing a journal,
 * then renames the staged files over the originals and removes the journal. Whenever
 * the process dies, {@link #recover()} (run before the password is read) finishes a
 * committed rotation or discards an uncommitted one, so that the files on disk always
 * decrypt with the password on disk.
 */
public final class MasterPasswordFile {

    /** The steps of a rotation, in order; an observer hears of each once it is done. */
    public enum Step {
        /** The re-encrypted files are written beside the originals. */
        STAGED_FILES,
        /** The new password is written beside the password file. */
        STAGED_PASSWORD,
        /** The journal is written: from here on, the rotation is finished on recovery. */
        COMMITTED,
        /** The new password replaced the old one. */
        PASSWORD_REPLACED,
        /** The re-encrypted files replaced the originals. */
        FILES_REPLACED,
        /** The journal is removed. */
        DONE
    }

    static final String STAGED = ".rekey-new";
    static final String JOURNAL = ".rekey-journal";

    private final Path file;

    /**
     * @param file where the master password is kept
     */
    public MasterPasswordFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** @return where the master password is kept */
    public Path path() {
        return file;
    }

    /**
     * Reads the master password.
     *
     * @return the password, or empty if the file does not exist; the caller clears it
     * @throws CofferException if the file cannot be read or is empty
     */
    public Optional<char[]> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CofferException("Cannot read the master password file " + file + ": " + e.getMessage(), e);
        }
        try {
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
            }
            if (end == 0) {
                throw new CofferException("The master password file " + file + " is empty; write the master"
                        + " password into it, or delete it if no value was encrypted yet");
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
            char[] password = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return Optional.of(password);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Reads the master password, creating the file with a strong random password
     * (mode 0600) if it does not exist. Safe against other processes doing the same.
     *
     * @return the password; the caller clears it
     * @throws CofferException if the file cannot be read or written
     */
    public char[] readOrCreate() {
        try (WriterLock lock = WriterLock.take(file)) {
            Optional<char[]> existing = read();
            if (existing.isPresent()) {
                return existing.get();
            }
            char[] password = randomPassword();
            write(file, password);
            return password;
        } catch (IOException e) {
            throw new CofferException("Cannot create the master password file " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return 256 random bits, URL-safe base64 without padding: 43 characters */
    public static char[] randomPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(bytes);
        char[] password = new char[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            password[i] = (char) encoded[i];
        }
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(encoded, (byte) 0);
        return password;
    }

    private static void write(Path target, char[] password) throws IOException {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining() + 1];
        encoded.get(bytes, 0, bytes.length - 1);
        bytes[bytes.length - 1] = '\n';
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            AtomicFile.write(target, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Replaces the master password and, together with it, the files encrypted under it.
     * The caller holds the writer locks of those files.
     *
     * @param newPassword the new master password; not kept
     * @param files the new content of each file, encrypted under the new password
     * @param observer hears of each step once it is done
     * @throws CofferException if a file could not be written; before the commit nothing
     *     changed, after it the next {@link #recover()} finishes the rotation
     */
    public void rotate(char[] newPassword, Map<Path, byte[]> files, Consumer<Step> observer) {
        try (WriterLock lock = WriterLock.take(file)) {
            recoverLocked();
            Map<Path, Path> staged = new LinkedHashMap<>();
            try {
                for (Map.Entry<Path, byte[]> entry : files.entrySet()) {
                    Path target = entry.getKey().toAbsolutePath();
                    Path stagedFile = staged(target);
                    AtomicFile.write(stagedFile, entry.getValue());
                    staged.put(target, stagedFile);
                }
                observer.accept(Step.STAGED_FILES);
                write(staged(file), newPassword);
                observer.accept(Step.STAGED_PASSWORD);
                List<String> journal = new ArrayList<>();
                journal.add(file.toString());
                staged.keySet().forEach(target -> journal.add(target.toString()));
                AtomicFile.write(journal(), (String.join("\n", journal) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                for (Path stagedFile : staged.values()) {
                    Files.deleteIfExists(stagedFile);
                }
                Files.deleteIfExists(staged(file));
                throw new CofferException("Could not rotate the master password; nothing was changed: "
                        + e.getMessage(), e);
            }
            observer.accept(Step.COMMITTED);
            finish(observer);
        } catch (IOException e) {
            throw new CofferException("The master password rotation was interrupted (" + e.getMessage()
                    + "); it is finished when Coffer starts again", e);
        }
    }

    /**
     * Finishes a committed rotation that a crash interrupted, or removes the staged files
     * of one that was not committed. Run before the password is read.
     *
     * @throws CofferException if the files cannot be renamed
     */
    public void recover() {
        if (!Files.exists(journal()) && !Files.exists(staged(file))) {
            // nothing to finish: no lock needed, so a read-only folder still works
            return;
        }
        try (WriterLock lock = WriterLock.take(file)) {
            recoverLocked();
        } catch (IOException e) {
            throw new CofferException("Could not finish an interrupted master password rotation of " + file
                    + ": " + e.getMessage(), e);
        }
    }

    private void recoverLocked() throws IOException {
        if (Files.exists(journal())) {
            finish(step -> { });
        } else {
            Files.deleteIfExists(staged(file));
        }
    }

    /** Renames the staged password, then the staged files, then removes the journal. */
    private void finish(Consumer<Step> observer) throws IOException {
        List<String> journal = Files.readAllLines(journal(), StandardCharsets.UTF_8);
        List<Path> targets = new ArrayList<>();
        for (String line : journal) {
            if (!line.isBlank()) {
                targets.add(Path.of(line));
            }
        }
        if (!targets.isEmpty()) {
            moveIfStaged(targets.get(0));
            observer.accept(Step.PASSWORD_REPLACED);
            for (Path target : targets.subList(1, targets.size())) {
                moveIfStaged(target);
            }
            observer.accept(Step.FILES_REPLACED);
            // the renames must be on disk before the journal that could redo them is gone
            for (Path target : targets) {
                syncFolder(target.toAbsolutePath().getParent());
            }
        }
        Files.deleteIfExists(journal());
        observer.accept(Step.DONE);
    }

    private static void syncFolder(Path folder) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(folder,
                java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupportedHere) {
            // some file systems cannot sync a folder; the renames are atomic all the same
        }
    }

    private static void moveIfStaged(Path target) throws IOException {
        Path stagedFile = staged(target);
        if (Files.exists(stagedFile)) {
            Files.move(stagedFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * @param target a file that a rotation replaces
     * @return where its new content is staged
     */
    public static Path staged(Path target) {
        return target.resolveSibling(target.getFileName() + STAGED);
    }

    private Path journal() {
        return file.resolveSibling(file.getFileName() + JOURNAL);
    }

    @Override
    public String toString() {
        return "MasterPasswordFile[" + file + "]";
    }
}
