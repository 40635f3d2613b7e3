package org.coffer.format.xml.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.coffer.CofferException;
import org.coffer.Secret;
import org.coffer.crypto.JasyptCipher;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.SealedSecret;
import org.w3c.dom.Element;

/**
 * Turns credentials.xml into a {@link Snapshot}: parses and checks it, decrypts and seals
 * every password, and encrypts and saves clear-text ones. Every value costs a
 * password-based key derivation (about a millisecond): each distinct value is decrypted
 * once, on every core, and only if the previous snapshot does not hold it sealed already.
 */
final class CredentialsLoader {

    private final CredentialsFile file;
    private final MasterKey key;
    private final Consumer<String> info;

    /**
     * @param info hears what was done to the file; the messages hold counts and paths, never a value
     */
    CredentialsLoader(CredentialsFile file, MasterKey key, Consumer<String> info) {
        this.file = file;
        this.key = key;
        this.info = info;
    }

    /**
     * Reads the file (the caller holds its lock); an unchanged file gives the previous snapshot.
     *
     * @throws CofferException if the file does not load; it is left as it was
     */
    Snapshot load(Snapshot previous) {
        CredentialsFile.Content content = file.read();
        if (content == null) {
            return Snapshot.empty();
        }
        // null-checked first: Jazzer 0.24's hook of Arrays.equals crashes the JVM on a null array
        if (previous.digest != null && Arrays.equals(previous.digest, content.digest)) {
            return previous.modifiedAt(content.modified);
        }
        CredentialsModel model = CredentialsModel.of(file.path(), CredentialsXml.parse(file.path(), content.bytes));
        Map<String, SealedSecret> sealed = seal(model, previous.sealedByStored());
        List<Element> clearText = new ArrayList<>();
        model.credentials.values().forEach(credentials -> credentials.values().stream()
                .filter(credential -> !credential.getAttribute("password").startsWith(CredentialsModel.ENCRYPTED))
                .forEach(clearText::add));
        if (clearText.isEmpty()) {
            return Snapshot.of(model, sealed, content.digest, content.modified);
        }
        encryptClearText(clearText, sealed);
        byte[] saved = CredentialsXml.write(model.document);
        file.save(saved);
        info.accept("Encrypted " + clearText.size() + " clear-text passwords in " + file.path());
        return saved(model, saved, sealed);
    }

    /**
     * The snapshot of a document this process has just saved.
     *
     * @param sealed the sealed password of every stored value of the document
     */
    Snapshot saved(CredentialsModel model, byte[] content, Map<String, SealedSecret> sealed) {
        try {
            return Snapshot.of(model, sealed, CredentialsFile.digest(content), file.modified());
        } catch (IOException e) {
            throw new CofferException("Cannot read the time of " + file.path() + " after saving it: " + e.getMessage(), e);
        }
    }

    /** @return {@code known} with every other stored value of the document decrypted and sealed */
    private Map<String, SealedSecret> seal(CredentialsModel model, Map<String, SealedSecret> known) {
        // each new stored value once, in file order, with the first credential that holds it for messages
        Map<String, String> unknown = new LinkedHashMap<>();
        model.credentials.forEach((environment, credentials) -> credentials.forEach((id, credential) -> {
            String stored = credential.getAttribute("password");
            if (!known.containsKey(stored) && !unknown.containsKey(stored)) {
                unknown.put(stored, "credential '" + id + "' of environment '" + environment + "' in " + file.path());
            }
        }));
        List<Map.Entry<String, String>> values = new ArrayList<>(unknown.entrySet());
        List<SealedSecret> sealed = onEveryCore(values, value -> sealStored(value.getKey(), value.getValue()));
        Map<String, SealedSecret> all = new HashMap<>(known);
        for (int i = 0; i < values.size(); i++) {
            all.put(values.get(i).getKey(), sealed.get(i));
        }
        return all;
    }

    private SealedSecret sealStored(String stored, String what) {
        try (Secret password = stored.startsWith(CredentialsModel.ENCRYPTED)
                ? key.decrypt(stored.substring(CredentialsModel.ENCRYPTED.length()), what)
                : Secret.of(stored)) {
            return key.seal(password);
        }
    }

    /** Encrypts the clear-text passwords in the document; the caller holds the lock, so no rekey runs meanwhile. */
    private void encryptClearText(List<Element> clearText, Map<String, SealedSecret> sealed) {
        List<String> values = clearText.stream().map(credential -> credential.getAttribute("password"))
                .collect(Collectors.toList());
        List<String> encrypted = onEveryCore(values, value -> {
            try (Secret password = Secret.of(value)) {
                return CredentialsModel.ENCRYPTED + key.encrypt(password);
            }
        });
        for (int i = 0; i < clearText.size(); i++) {
            clearText.get(i).setAttribute("password", encrypted.get(i));
            sealed.put(encrypted.get(i), sealed.get(values.get(i)));
        }
        values.forEach(sealed::remove);
    }

    /**
     * Encrypts every password of a copy of the snapshot's document under a new master password.
     *
     * @return the sealed password of every new stored value
     */
    Map<String, SealedSecret> reencrypt(Snapshot current, CredentialsModel copy, JasyptCipher next) {
        List<Snapshot.Entry> entries = new ArrayList<>();
        List<Element> credentials = new ArrayList<>();
        current.entries.forEach((environment, byId) -> byId.forEach((id, entry) -> {
            entries.add(entry);
            credentials.add(copy.credentials.get(environment).get(id));
        }));
        List<String> encrypted = onEveryCore(entries, entry -> {
            try (Secret password = key.open(entry.password)) {
                return CredentialsModel.ENCRYPTED + next.encrypt(password);
            }
        });
        Map<String, SealedSecret> sealed = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            credentials.get(i).setAttribute("password", encrypted.get(i));
            sealed.put(encrypted.get(i), entries.get(i).password);
        }
        return sealed;
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
