package org.coffer.backend.eclipse.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.coffer.backend.eclipse.storage.SecureStorage.Value;

/** Whether a master password is a storage's: Equinox's password check, or its values. */
public final class PasswordCheck {

    private PasswordCheck() {
    }

    /**
     * Whether a password passes a module's password check in a storage file, as Equinox
     * will check it when it opens the file.
     *
     * @param file the storage file
     * @param moduleId the password provider module
     * @param password the password
     * @return whether it passes; empty when the file cannot be read or holds no check of the module
     */
    public static Optional<Boolean> passes(Path file, String moduleId, char[] password) {
        SecureStorage storage;
        try {
            storage = SecureStorage.read(file);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return storage.values().stream()
                .filter(v -> v.node().equals(SecureStorage.VERIFICATION_NODE) && v.key().equals(moduleId) && v.encrypted())
                .findFirst().map(check -> opens(storage, check, password, PasswordCheck::isCheck));
    }

    /**
     * The password provider modules whose values a password opens. A module with Equinox's
     * password check (its verification value) opens when the check decrypts to a check; one
     * without (a {@code -eclipse.password} storage's) when every one of its values decrypts
     * to UTF-8 text. Either way a wrong password that decrypts one value into noise, as
     * padding lets it about once in 256, is not taken.
     *
     * @param storage a storage file
     * @param password a master password
     * @return the module ids it opens; empty when none
     */
    public static Set<String> modulesOpenedBy(SecureStorage storage, char[] password) {
        Map<String, List<Value>> byModule = new TreeMap<>();
        for (Value value : storage.values()) {
            if (value.encrypted() && value.moduleId() != null && !value.node().startsWith(SecureStorage.RECOVERY_NODE)) {
                byModule.computeIfAbsent(value.moduleId(), module -> new ArrayList<>()).add(value);
            }
        }
        Set<String> opened = new TreeSet<>();
        byModule.forEach((module, moduleValues) -> {
            Value check = moduleValues.stream().filter(v -> v.node().equals(SecureStorage.VERIFICATION_NODE) && v.key().equals(module))
                    .findFirst().orElse(null);
            if (check != null ? opens(storage, check, password, PasswordCheck::isCheck)
                    : moduleValues.stream().allMatch(v -> opens(storage, v, password, PasswordCheck::isText))) {
                opened.add(module);
            }
        });
        return opened;
    }

    private static boolean opens(SecureStorage storage, Value value, char[] password, java.util.function.Predicate<byte[]> expected) {
        try {
            byte[] clear = storage.decrypt(value, password);
            try {
                return expected.test(clear);
            } finally {
                Arrays.fill(clear, (byte) 0);
            }
        } catch (GeneralSecurityException notThisPassword) {
            return false;
        }
    }

    private static boolean isText(byte[] clear) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(clear));
            return true;
        } catch (java.nio.charset.CharacterCodingException noise) {
            return false;
        }
    }

    /** @return whether the bytes are Equinox's password check: {@code a\tb\tb\ta}, or its older fixed sample */
    static boolean isCheck(byte[] clear) {
        String text = new String(clear, StandardCharsets.UTF_8);
        String[] parts = text.split("\t", -1);
        return text.equals("-> brown fox jumped over lazy dog <-") || parts.length == 4 && parts[0].equals(parts[3])
                && parts[1].equals(parts[2]) && text.matches("[0-9\t]+");
    }
}
