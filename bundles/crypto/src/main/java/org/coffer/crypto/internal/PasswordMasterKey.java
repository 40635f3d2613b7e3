package org.coffer.crypto.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coffer.CofferException;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.ValueCipher;

/**
 * A {@link MasterKey} whose password comes from a {@link MasterPasswordFile}, or from
 * elsewhere (an environment variable, a keyring entry) through a supplier.
 */
public final class PasswordMasterKey implements MasterKey {

    private final MasterPasswordFile file;
    private final Supplier<char[]> supplier;
    private final String source;
    private final Consumer<MasterPasswordFile.Step> observer;
    private final Object loading = new Object();
    private volatile JasyptCipher cipher;

    /**
     * A master key kept in a file. Finishes an interrupted rotation at once.
     *
     * @param file the master password file; created on the first encryption if missing
     */
    public PasswordMasterKey(MasterPasswordFile file) {
        this(file, step -> { });
    }

    /**
     * @param file the master password file
     * @param observer hears of each step of a rotation
     */
    public PasswordMasterKey(MasterPasswordFile file, Consumer<MasterPasswordFile.Step> observer) {
        this.file = file;
        this.supplier = null;
        this.source = "the master password file " + file.path();
        this.observer = observer;
        file.recover();
    }

    /**
     * A master key from elsewhere.
     *
     * @param source where the password comes from, for messages
     * @param supplier returns the password (the key clears it), or {@code null} if there is none
     */
    public PasswordMasterKey(String source, Supplier<char[]> supplier) {
        this.file = null;
        this.supplier = supplier;
        this.source = source;
        this.observer = step -> { };
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String encrypt(Secret value) {
        return cipher(true).encrypt(value);
    }

    @Override
    public Secret decrypt(String ciphertext, String what) {
        return cipher(false).decrypt(ciphertext).orElseThrow(() -> new CofferException("The encrypted value of "
                + what + " does not decrypt with " + source + ". The master password is wrong or the value"
                + " is damaged; restore the right master password, or replace the value with its clear text"));
    }

    @Override
    public void rekey(Function<ValueCipher, Map<Path, byte[]>> reencrypt) {
        if (file == null) {
            throw new CofferException("The master password comes from " + source + "; a rotation replaces a"
                    + " master password file only. Change it there and re-encrypt the values by hand");
        }
        synchronized (loading) {
            cipher(false);
            char[] password = MasterPasswordFile.randomPassword();
            JasyptCipher next = new JasyptCipher(password);
            try {
                file.rotate(password, reencrypt.apply(next), observer);
            } catch (RuntimeException e) {
                next.destroy();
                throw e;
            } finally {
                Arrays.fill(password, '\0');
            }
            JasyptCipher previous = cipher;
            cipher = next;
            previous.destroy();
        }
    }

    /** The password is read at the first use and then kept: a refresh never reads it again. */
    private JasyptCipher cipher(boolean mayCreate) {
        JasyptCipher current = cipher;
        if (current != null) {
            return current;
        }
        synchronized (loading) {
            if (cipher == null) {
                char[] password = load(mayCreate);
                try {
                    cipher = new JasyptCipher(password);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            return cipher;
        }
    }

    private char[] load(boolean mayCreate) {
        if (file == null) {
            char[] password = supplier.get();
            if (password == null || password.length == 0) {
                throw new CofferException("No master password: " + source + " holds none");
            }
            return password;
        }
        Optional<char[]> existing = file.read();
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!mayCreate) {
            throw new CofferException("The master password file " + file.path() + " does not exist, but there are"
                    + " encrypted values to read. Restore the master password file; a new master password would"
                    + " not decrypt them");
        }
        return file.readOrCreate();
    }

    @Override
    public String toString() {
        return "PasswordMasterKey[" + source + "]";
    }
}
