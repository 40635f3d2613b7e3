package org.coffer.credentials.xml.internal;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.coffer.CofferException;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.spi.support.MemorySeal;
import org.coffer.spi.support.SealedSecret;

/**
 * One encrypted password of credentials.xml, as Pineapple keeps it: the file's ciphertext
 * until its first use, which decrypts it (one password-based key derivation, about a
 * millisecond) and seals it under the repository's in-memory key, so that every later use costs
 * microseconds. Thread-safe without locks: two first uses at once both decrypt, and
 * either seal is right.
 */
final class StoredPassword {

    /** The attribute as the file stores it, with its {@code encrypted:} prefix. */
    final String stored;
    private volatile SealedSecret sealed;

    /** A value to decrypt at its first use. */
    StoredPassword(String stored) {
        this(stored, null);
    }

    /** A value whose clear text this process knows already (it encrypted or decrypted it). */
    StoredPassword(String stored, SealedSecret sealed) {
        this.stored = stored;
        this.sealed = sealed;
    }

    /** @return whether the value was decrypted or encrypted here, which proves the master password reads it */
    boolean isOpened() {
        return sealed != null;
    }

    /**
     * @param key decrypts the stored value
     * @param seal seals the clear value in memory
     * @param what names the credential in an error: its id, its environment and the file
     * @return the value sealed in memory; it is decrypted at the first call only
     * @throws CofferException naming the credential if the value does not decrypt; nothing
     *     is kept, so the next call tries again, and the file is not touched
     */
    SealedSecret sealed(MasterKey key, MemorySeal seal, Supplier<String> what) {
        SealedSecret current = sealed;
        if (current != null) {
            return current;
        }
        try (Secret password = key.decrypt(stored.substring(CredentialsModel.ENCRYPTED.length()), what.get())) {
            current = seal.seal(password);
        } catch (RuntimeException e) {
            // a rekey seals every value before it replaces the cipher this call may have used
            SealedSecret byRekey = sealed;
            if (byRekey != null) {
                return byRekey;
            }
            throw e;
        }
        sealed = current;
        return current;
    }

    /**
     * What a load checks of a value it does not decrypt: base64 (as Coffer's Jasypt
     * cipher decodes it) of at least one block of 8 bytes, the form of every scheme it reads.
     *
     * @throws CofferException naming the credential if the value cannot be ciphertext
     */
    static void requireWellFormed(String stored, Supplier<String> what) {
        int length = decodedLength(stored, CredentialsModel.ENCRYPTED.length());
        if (length < 8 || length % 8 != 0) {
            // never log the value
            throw new CofferException("The encrypted value of " + what.get() + " is damaged: it is not the base64"
                    + " of a Jasypt value. Restore it, or replace it with its clear text; the file was left as it is");
        }
    }

    /**
     * What the JDK's basic Base64 decoder makes of the text from {@code from}, stripped, without
     * decoding it (a load checks every value of the file): the length of the bytes, or -1
     * where the decoder refuses the text.
     */
    static int decodedLength(String text, int from) {
        int start = from;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end - start == 1) {
            return -1;
        }
        int length = 0;
        int inUnit = 0;
        int at = start;
        while (at < end) {
            char c = text.charAt(at++);
            if (c == '=') {
                // "xx==" and "xxx=" end the text; padding anywhere else is refused
                if (inUnit == 0 || inUnit == 1 || inUnit == 2 && (at == end || text.charAt(at++) != '=')) {
                    return -1;
                }
                break;
            }
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
                return -1;
            }
            if (++inUnit == 4) {
                length += 3;
                inUnit = 0;
            }
        }
        if (inUnit == 1 || at < end) {
            return -1;
        }
        return length + (inUnit == 0 ? 0 : inUnit - 1);
    }

    /** Names a credential in messages. */
    static String describe(Path file, String environment, String id) {
        return "credential '" + id + "' of environment '" + environment + "' in " + file;
    }

    @Override
    public String toString() {
        return "StoredPassword[****]";
    }
}
