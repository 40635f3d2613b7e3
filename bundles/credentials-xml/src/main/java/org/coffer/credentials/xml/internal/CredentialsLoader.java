package org.coffer.credentials.xml.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.coffer.CofferException;
import org.coffer.ConfigFormatException;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.ValueCipher;
import org.coffer.spi.support.MemorySeal;
import org.coffer.spi.support.SealedSecret;
import org.w3c.dom.Element;

/**
 * Turns credentials.xml into a {@link Snapshot}: parses and checks it, and encrypts and
 * saves clear-text passwords. Encrypted passwords stay as the file stores them until their
 * first use: a load checks their form and decrypts one, so that a wrong master password
 * still stops it. A load thus costs one password-based key derivation (about a
 * millisecond), not one per value.
 */
final class CredentialsLoader {

    private final CredentialsFile file;
    private final MasterKey key;
    private final MemorySeal seal;
    private final Consumer<String> info;

    /**
     * @param seal seals the passwords the loader decrypts or encrypts
     * @param info hears what was done to the file; the messages hold counts and paths, never a value
     */
    CredentialsLoader(CredentialsFile file, MasterKey key, MemorySeal seal, Consumer<String> info) {
        this.file = file;
        this.key = key;
        this.seal = seal;
        this.info = info;
    }

    /**
     * Reads the file (the caller holds its lock); an unchanged file gives the previous snapshot.
     * A file without clear text is only scanned: no DOM is built.
     *
     * @throws CofferException if the file does not load; it is left as it was
     */
    Snapshot load(Snapshot previous) {
        CredentialsFile.Content content = file.read();
        if (content == null) {
            return Snapshot.empty();
        }
        if (previous.holds(content.bytes)) {
            return previous.modifiedAt(content.modified);
        }
        Map<String, StoredPassword> known = previous.passwordsByStored();
        FirstDecryption first = new FirstDecryption(known.isEmpty());
        CredentialsScan scan = CredentialsScan.of(file.path(), content.bytes, first).requireModel();
        Map<String, StoredPassword> passwords = checked(scan, known, first);
        List<Map.Entry<String, String>> clearText = new ArrayList<>();
        scan.environments.values().forEach(environment -> environment.credentials.values().forEach(credential -> {
            if (!credential.password.startsWith(CredentialsModel.ENCRYPTED)) {
                requireText(environment, credential);
                clearText.add(Map.entry(environment.id, credential.id));
            }
        }));
        if (clearText.isEmpty()) {
            return Snapshot.scanned(scan, passwords, content.bytes, content.modified);
        }
        // only a file with clear text needs the DOM at load, to save it encrypted
        CredentialsModel model = CredentialsModel.of(CredentialsXml.parse(file.path(), content.bytes));
        List<Element> elements = new ArrayList<>();
        clearText.forEach(credential -> elements.add(model.credential(credential.getKey(), credential.getValue())));
        encryptClearText(elements, passwords);
        byte[] saved = CredentialsXml.write(model.document);
        file.save(saved);
        info.accept("Encrypted " + elements.size() + " clear-text passwords in " + file.path());
        return saved(model, saved, passwords);
    }

    /**
     * A clear-text password with a control character (written as a character reference
     * such as {@code &#9;}) is refused before anything is encrypted: its decryption could
     * not tell it from a wrong key's output, so encrypting it would lose it.
     */
    private void requireText(CredentialsScan.Environment environment, CredentialsScan.Credential credential) {
        if (credential.password.chars().anyMatch(Character::isISOControl)) {
            // never the value, nor the character's position in it
            throw new ConfigFormatException(file.path(), credential.line, 0, "a password without control"
                    + " characters, but credential '" + credential.id + "' of environment '" + environment.id
                    + "' has one. Coffer encrypts only text; the file was left as it is");
        }
    }

    /**
     * The snapshot of a document this process has just saved.
     *
     * @param passwords the password of every stored value of the document
     */
    Snapshot saved(CredentialsModel model, byte[] content, Map<String, StoredPassword> passwords) {
        try {
            return Snapshot.of(model, passwords, content, file.modified());
        } catch (IOException e) {
            throw new CofferException("Cannot read the time of " + file.path() + " after saving it: " + e.getMessage(), e);
        }
    }

    /**
     * The password of every encrypted value of the file: the one {@code known} holds
     * if any, else a new one whose form is checked. Unless one of them has been decrypted
     * or encrypted here already, the first is decrypted now: a wrong master password stops
     * the load, before any clear text is encrypted under it.
     */
    private Map<String, StoredPassword> checked(CredentialsScan scan, Map<String, StoredPassword> known,
            FirstDecryption early) {
        Map<String, StoredPassword> passwords = new HashMap<>();
        StoredPassword first = null;
        Supplier<String> firstWhat = null;
        boolean proven = false;
        for (CredentialsScan.Environment environment : scan.environments.values()) {
            for (CredentialsScan.Credential credential : environment.credentials.values()) {
                String stored = credential.password;
                if (!stored.startsWith(CredentialsModel.ENCRYPTED) || passwords.containsKey(stored)) {
                    continue;
                }
                Supplier<String> what = () -> StoredPassword.describe(file.path(), environment.id, credential.id);
                StoredPassword password = known.get(stored);
                if (password == null) {
                    StoredPassword.requireWellFormed(stored, what);
                    password = early.password(stored);
                }
                passwords.put(stored, password);
                proven |= password.isOpened();
                if (first == null) {
                    first = password;
                    firstWhat = what;
                }
            }
        }
        if (first != null && !proven) {
            early.awaitDone();
            // sealed already if the early decryption succeeded; else it fails here, after the checks, as it did there
            first.sealed(key, seal, firstWhat);
        }
        return passwords;
    }

    /** Encrypts the clear-text passwords in the document; the caller holds the lock, so no rekey runs meanwhile. */
    private void encryptClearText(List<Element> clearText, Map<String, StoredPassword> passwords) {
        // read here: a DOM is not safe for use by several threads
        List<String> values = clearText.stream().map(credential -> credential.getAttribute("password"))
                .collect(Collectors.toList());
        List<StoredPassword> encrypted = onEveryCore(values, value -> {
            try (Secret password = Secret.of(value)) {
                return new StoredPassword(CredentialsModel.ENCRYPTED + key.encrypt(password), seal.seal(password));
            }
        });
        for (int i = 0; i < clearText.size(); i++) {
            clearText.get(i).setAttribute("password", encrypted.get(i).stored);
            passwords.put(encrypted.get(i).stored, encrypted.get(i));
        }
    }

    /**
     * The decryption of the first encrypted value, started on another core as soon as the
     * scan finds it, while the rest of the file is scanned (the first decryption of a
     * process also loads and warms the cipher). Its outcome is only used once every value
     * has passed its checks; a failure is thrown then by deciphering again.
     */
    private final class FirstDecryption implements Consumer<CredentialsScan.Credential> {
        private final boolean wanted;
        private StoredPassword password;
        private CompletableFuture<?> done = CompletableFuture.completedFuture(null);

        /** @param wanted whether no value of the file is known yet to this process */
        FirstDecryption(boolean wanted) {
            this.wanted = wanted;
        }

        @Override
        public void accept(CredentialsScan.Credential credential) {
            if (wanted && password == null && credential.password.startsWith(CredentialsModel.ENCRYPTED)) {
                StoredPassword started = new StoredPassword(credential.password);
                password = started;
                done = CompletableFuture.runAsync(() -> started.sealed(key, seal, () -> "the first value"));
            }
        }

        /** @return the early decryption's password for that stored value, else a new one */
        StoredPassword password(String stored) {
            return password != null && password.stored.equals(stored) ? password : new StoredPassword(stored);
        }

        void awaitDone() {
            try {
                done.join();
            } catch (CompletionException | CancellationException failed) {
                // thrown again, worded with the credential, by the call that follows
            }
        }
    }

    /** A credential of a snapshot, with its name for messages. */
    private static final class Named {
        final Snapshot.Entry entry;
        final Supplier<String> what;

        Named(Snapshot.Entry entry, Supplier<String> what) {
            this.entry = entry;
            this.what = what;
        }
    }

    /**
     * Encrypts every password of a copy of the snapshot's document under a new master
     * password. A password not used yet is decrypted first, under the current one, and
     * sealed in the snapshot too, so that readers of it never need the old cipher again.
     *
     * @return the password of every new stored value
     * @throws CofferException naming the credential if a value does not decrypt; nothing is changed
     */
    Map<String, StoredPassword> reencrypt(Snapshot current, CredentialsModel copy, ValueCipher next) {
        List<Named> entries = new ArrayList<>();
        List<Element> credentials = new ArrayList<>();
        current.entries().forEach((environment, byId) -> byId.forEach((id, entry) -> {
            entries.add(new Named(entry, () -> StoredPassword.describe(file.path(), environment, id)));
            credentials.add(copy.credentials.get(environment).get(id));
        }));
        List<StoredPassword> encrypted = onEveryCore(entries, named -> {
            SealedSecret sealed = named.entry.password.sealed(key, seal, named.what);
            try (Secret password = seal.open(sealed)) {
                return new StoredPassword(CredentialsModel.ENCRYPTED + next.encrypt(password), sealed);
            }
        });
        Map<String, StoredPassword> passwords = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            credentials.get(i).setAttribute("password", encrypted.get(i).stored);
            passwords.put(encrypted.get(i).stored, encrypted.get(i));
        }
        return passwords;
    }

    /** Applies a slow function on every core; the first failure in list order is thrown, whichever thread met it. */
    @SuppressWarnings("unchecked")
    private static <T, R> List<R> onEveryCore(List<T> items, Function<T, R> function) {
        List<Object> results = items.parallelStream().map(item -> {
            try {
                return (Object) function.apply(item);
            } catch (RuntimeException e) {
                return e;
            }
        }).collect(Collectors.toList());
        for (Object result : results) {
            if (result instanceof RuntimeException) {
                throw (RuntimeException) result;
            }
        }
        return (List<R>) (List<?>) results;
    }
}
