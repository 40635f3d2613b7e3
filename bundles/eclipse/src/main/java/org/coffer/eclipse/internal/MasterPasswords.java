package org.coffer.eclipse.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.KeyringEntry;
import org.coffer.Secret;

/**
 * The master passwords of Equinox secure storages, kept as Coffer entries: service
 * {@value #SERVICE}, username the storage file's canonical path. A new one is 64 random
 * bytes in base64 (as Eclipse's own Linux provider makes them; ASCII, which Java's PBE key
 * factories require). Before a change replaces one, it is kept as the entry
 * {@code <path> (previous)}, so a storage that was not saved under the new password still
 * opens.
 */
final class MasterPasswords {

    /** The service of the entries. */
    static final String SERVICE = "eclipse secure storage";

    private static final String PREVIOUS = " (previous)";

    private final Supplier<CredentialProvider> coffer;
    private final StorageEntries declared;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param coffer Coffer's provider, or a {@link MasterPasswordUnavailableException} saying why there is none
     * @param declared the protected entries, which learn every storage asked for
     */
    MasterPasswords(Supplier<CredentialProvider> coffer, StorageEntries declared) {
        this.coffer = coffer;
        this.declared = declared;
    }

    /** @return the entry that holds the master password of a storage */
    static KeyringEntry entry(String storage) {
        return new KeyringEntry(SERVICE, storage);
    }

    /** @return the entry that holds the password a change replaced */
    static KeyringEntry previousEntry(String storage) {
        return new KeyringEntry(SERVICE, storage + PREVIOUS);
    }

    /**
     * @param storage the storage file's canonical path
     * @return its master password
     * @throws MasterPasswordUnavailableException if Coffer has none for it, or cannot say
     */
    char[] current(String storage) {
        return read(storage, entry(storage)).orElseThrow(() -> new MasterPasswordUnavailableException(
                "Coffer holds no master password for the secure storage " + storage + " (entry '" + SERVICE
                        + "' / '" + storage + "'); it was made elsewhere, or the entry was deleted"));
    }

    /**
     * @param storage the storage file's canonical path
     * @return the password the last change replaced, if Coffer still has it
     */
    Optional<char[]> previous(String storage) {
        return read(storage, previousEntry(storage));
    }

    /**
     * Makes a new master password and stores it, keeping the one it replaces.
     *
     * @param storage the storage file's canonical path
     * @return the new password
     * @throws MasterPasswordUnavailableException if Coffer cannot store it; nothing changed
     */
    char[] create(String storage) {
        declared.add(storage);
        CredentialProvider provider = coffer.get();
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        char[] password = Base64.getEncoder().encodeToString(bytes).toCharArray();
        Arrays.fill(bytes, (byte) 0);
        try {
            Optional<Secret> old = provider.get(SERVICE, storage);
            if (old.isPresent()) {
                try (Secret kept = old.get()) {
                    provider.set(SERVICE, storage + PREVIOUS, kept);
                }
            }
            try (Secret made = Secret.of(password)) {
                provider.set(SERVICE, storage, made);
            }
            return password;
        } catch (CofferException e) {
            Arrays.fill(password, '\0');
            throw new MasterPasswordUnavailableException("Coffer could not store a new master password for the"
                    + " secure storage " + storage + ": " + e.getMessage(), e);
        }
    }

    private Optional<char[]> read(String storage, KeyringEntry entry) {
        declared.add(storage);
        CredentialProvider provider = coffer.get();
        try {
            Optional<Secret> secret = provider.get(entry.service(), entry.username());
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            try (Secret value = secret.get()) {
                return Optional.of(value.chars());
            }
        } catch (CofferException e) {
            throw new MasterPasswordUnavailableException("Coffer cannot give the master password of the secure"
                    + " storage " + storage + ": " + e.getMessage(), e);
        }
    }
}
