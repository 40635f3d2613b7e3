package org.coffer.backend.wincred.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.coffer.Credential;
import org.coffer.KeyringEntry;
import org.coffer.Secret;

/**
 * Python keyring's {@code WinVaultKeyring} layout: the target name is the service; a
 * second user of the same service moves the first one's credential to the compound
 * target {@code username@service}; blobs are UTF-16LE, UTF-8 read with a warning.
 */
final class WinVaultLayout {

    /**
     * A write reads the service's credential, moves it and writes the new one: writers of
     * this JVM take turns. (Python's keyring, and other processes, do not.)
     */
    private static final Object WRITING = new Object();

    private final CredentialStore store;
    private final Persistence persist;
    private final Consumer<String> readAsUtf8;

    /**
     * @param store the Credential Manager, or a stand-in with its behaviour
     * @param persist the {@code Persist} of every credential written, as Python's {@code persist}
     * @param readAsUtf8 told the target of every blob read as UTF-8
     */
    WinVaultLayout(CredentialStore store, Persistence persist, Consumer<String> readAsUtf8) {
        this.store = store;
        this.persist = persist;
        this.readAsUtf8 = readAsUtf8;
    }

    /**
     * {@code CRED_MAX_CREDENTIAL_BLOB_SIZE}: Windows refuses a longer blob, Wine does
     * not; Coffer refuses it on both, before anything is written.
     */
    static final int MAX_BLOB = 5 * 512;

    static String compound(String username, String service) {
        return username + "@" + service;
    }

    /** As Python's {@code _resolve_credential}: the plain target if its user matches, else the compound one. */
    private Optional<StoredCredential> resolve(String service, String username) {
        Optional<StoredCredential> plain = store.read(service);
        if (plain.isPresent() && (username == null || username.equals(plain.get().username))) {
            return plain;
        }
        plain.ifPresent(StoredCredential::wipe);
        return username == null ? Optional.empty() : store.read(compound(username, service));
    }

    Optional<Secret> get(String service, String username) {
        return resolve(service, username).map(this::value);
    }

    Optional<Credential> getCredential(String service, String username) {
        return resolve(service, username).map(c -> new Credential(c.username, value(c)));
    }

    /**
     * As Python's {@code set_password}: an existing credential of the service is first
     * re-saved under its compound target; both writes carry the configured persistence.
     */
    void set(String service, String username, Secret secret) {
        synchronized (WRITING) {
            write(service, username, secret);
        }
    }

    private void write(String service, String username, Secret secret) {
        byte[] blob = utf16(secret);
        if (blob.length > MAX_BLOB) {
            Arrays.fill(blob, (byte) 0);
            throw new IllegalArgumentException("The Windows Credential Manager holds secrets of at most " + MAX_BLOB
                    + " bytes of UTF-16 (" + MAX_BLOB / 2 + " characters); this one has " + blob.length);
        }
        Optional<StoredCredential> existing = store.read(service);
        if (existing.isPresent()) {
            StoredCredential old = existing.get();
            try {
                store.write(new StoredCredential(compound(old.username, service), old.username, old.blob,
                        StoredCredential.COMMENT, persist.value));
            } finally {
                old.wipe();
            }
        }
        try {
            store.write(new StoredCredential(service, username, blob, StoredCredential.COMMENT, persist.value));
        } finally {
            Arrays.fill(blob, (byte) 0);
        }
    }

    /** As Python's {@code delete_password}: both targets, where they hold this username. */
    boolean delete(String service, String username) {
        synchronized (WRITING) {
            return remove(service, username);
        }
    }

    private boolean remove(String service, String username) {
        boolean deleted = false;
        for (String target : new String[] {service, compound(username, service)}) {
            Optional<StoredCredential> existing = store.read(target);
            if (existing.isPresent()) {
                existing.get().wipe();
                if (username.equals(existing.get().username)) {
                    deleted |= store.delete(target);
                }
            }
        }
        return deleted;
    }

    /** @return the entries: a plain target is its service; {@code user@service} of that user is a compound one */
    List<KeyringEntry> entries() {
        List<KeyringEntry> entries = new ArrayList<>();
        for (StoredCredential c : store.enumerate()) {
            c.wipe();
            if (c.username == null || c.username.isEmpty()) {
                continue;
            }
            String prefix = c.username + "@";
            if (c.target.startsWith(prefix) && c.target.length() > prefix.length()) {
                KeyringEntry compound = new KeyringEntry(c.target.substring(prefix.length()), c.username);
                if (!entries.contains(compound)) {
                    entries.add(compound);
                }
                continue;
            }
            KeyringEntry plain = new KeyringEntry(c.target, c.username);
            if (!entries.contains(plain)) {
                entries.add(plain);
            }
        }
        return entries;
    }

    static byte[] utf16(Secret secret) {
        char[] chars = secret.chars();
        try {
            ByteBuffer bytes = StandardCharsets.UTF_16LE.encode(java.nio.CharBuffer.wrap(chars));
            byte[] blob = Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
            Arrays.fill(bytes.array(), (byte) 0);
            return blob;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** As Python's {@code DecodingCredential.value}: UTF-16 first, then UTF-8 with a warning. */
    private Secret value(StoredCredential credential) {
        try {
            try {
                return decode(credential.blob, StandardCharsets.UTF_16LE);
            } catch (CharacterCodingException notUtf16) {
                Secret secret = decode(credential.blob, StandardCharsets.UTF_8);
                readAsUtf8.accept(credential.target);
                return secret;
            }
        } catch (CharacterCodingException neither) {
            throw new org.coffer.BackendException("The Windows credential " + credential.target
                    + " holds a blob that is neither UTF-16 nor UTF-8 text");
        } finally {
            credential.wipe();
        }
    }

    private static Secret decode(byte[] blob, java.nio.charset.Charset charset) throws CharacterCodingException {
        int start = 0;
        if (charset == StandardCharsets.UTF_16LE) {
            if (blob.length % 2 != 0) {
                throw new CharacterCodingException();
            }
            // Python's 'utf-16' takes a byte order mark and drops it
            start = blob.length >= 2 && blob[0] == (byte) 0xFF && blob[1] == (byte) 0xFE ? 2 : 0;
        }
        java.nio.CharBuffer chars = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(blob, start, blob.length - start));
        char[] value = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        try {
            return Secret.of(value);
        } finally {
            Arrays.fill(value, '\0');
        }
    }
}
