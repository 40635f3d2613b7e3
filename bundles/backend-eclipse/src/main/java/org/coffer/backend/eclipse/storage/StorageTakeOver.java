package org.coffer.backend.eclipse.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.coffer.backend.eclipse.storage.SecureStorage.Value;
import org.coffer.files.AtomicFile;
import org.coffer.files.FileVersion;
import org.coffer.files.WriterLock;

/**
 * Moves an Equinox secure storage to another password provider module: every value the
 * old master password opens is encrypted again under the new module's password, after
 * a copy of the file as it was. Equinox then asks the new module for the password; the
 * old module's password check and recovery answers go, and its other values (those of a
 * module whose password was not given) stay as they are.
 */
public final class StorageTakeOver {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a take-over did.
     *
     * @param backup the copy of the file as it was
     * @param values how many values were encrypted again
     * @param modules the modules whose values moved
     */
    public record Result(Path backup, int values, Set<String> modules) {
    }

    private StorageTakeOver() {
    }

    /**
     * @param file the storage file
     * @param oldPassword the master password it was written with
     * @param moduleId the module that owns the values from now on
     * @param newPassword that module's master password
     * @return what was done
     * @throws IOException if the file cannot be read or written; it is then unchanged
     * @throws IllegalArgumentException if the password opens no value of the file, or the
     *         module already owns values there; the file is unchanged
     * @throws org.coffer.ConfigFormatException if it is not a storage file Coffer can read
     */
    public static Result takeOver(Path file, char[] oldPassword, String moduleId, char[] newPassword)
            throws IOException {
        try (WriterLock lock = WriterLock.take(file);
                FileVersion version = FileVersion.read(file, AtomicFile.MAX_SIZE)) {
            if (!version.exists()) {
                throw new java.nio.file.NoSuchFileException(file.toString(), null, "no secure storage there");
            }
            SecureStorage storage = SecureStorage.parse(file, version.bytes());
            if (storage.values().stream().anyMatch(value -> moduleId.equals(value.moduleId()))) {
                throw new IllegalArgumentException(file + " already has values of " + moduleId + ": it was taken"
                        + " over before, or that provider wrote there");
            }
            Set<String> modules = PasswordCheck.modulesOpenedBy(storage, oldPassword);
            if (modules.isEmpty()) {
                throw new IllegalArgumentException("the password given opens no value of " + file + "; nothing changed");
            }
            Map<String, String> changed = new HashMap<>();
            int count = 0;
            for (Value value : storage.values()) {
                if (value.node().startsWith(SecureStorage.INTERNAL_NODE)) {
                    // the old modules' password checks and recovery answers: they would open nothing now
                    boolean check = value.node().equals(SecureStorage.VERIFICATION_NODE) && modules.contains(value.key());
                    boolean recovery = modules.stream().anyMatch(module -> (value.node() + "/").startsWith(
                            SecureStorage.RECOVERY_NODE + "/" + module + "/"));
                    if (check || recovery) {
                        changed.put(value.name(), null);
                    }
                } else if (value.encrypted() && modules.contains(value.moduleId())) {
                    changed.put(value.name(), moduleId + "\t" + reseal(storage, value, oldPassword, newPassword));
                    count++;
                }
            }
            changed.put(SecureStorage.VERIFICATION_NODE + "/" + moduleId, moduleId + "\t"
                    + seal(storage, check(), newPassword));
            Path backup = backup(file, version.bytes());
            if (!version.replace(storage.render(changed))) {
                Files.delete(backup);
                throw new IOException(file + " changed while it was taken over (an Eclipse saved it?); it is as that"
                        + " program left it: close it and try again");
            }
            return new Result(backup, count, modules);
        }
    }

    private static String reseal(SecureStorage storage, Value value, char[] oldPassword, char[] newPassword)
            throws IOException {
        byte[] clear;
        try {
            clear = storage.decrypt(value, oldPassword);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the password given opens the values of " + value.moduleId() + " in "
                    + storage.file() + " but not " + value.name() + " (damaged?); nothing changed");
        }
        try {
            return seal(storage, clear, newPassword);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    private static String seal(SecureStorage storage, byte[] clear, char[] password) throws IOException {
        try {
            return storage.encrypt(clear, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt with the cipher of " + storage.file() + ": " + e.getMessage(), e);
        }
    }

    /** @return a password check as Equinox makes one: {@code a\tb\tb\ta} of two random numbers below 10000 */
    private static byte[] check() {
        int a = RANDOM.nextInt(10000);
        int b = RANDOM.nextInt(10000);
        return (a + "\t" + b + "\t" + b + "\t" + a).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** @return the copy, mode 0600, beside the file: {@code secure_storage.before-coffer-<time>} */
    private static Path backup(Path file, byte[] bytes) throws IOException {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = file.resolveSibling(file.getFileName() + ".before-coffer-" + time);
        for (int i = 2; Files.exists(backup); i++) {
            backup = file.resolveSibling(file.getFileName() + ".before-coffer-" + time + "-" + i);
        }
        AtomicFile.write(backup, bytes);
        return backup;
    }
}
