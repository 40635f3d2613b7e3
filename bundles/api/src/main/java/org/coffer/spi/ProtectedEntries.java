package org.coffer.spi;

import java.util.Set;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The keyring entries a component reads its own passwords and keys from: an encrypted
 * keyring's password, etcd's key-encryption key, the master password. Every
 * {@link KeyringBackend} declares them through {@link KeyringBackend#protectedEntries()};
 * a key source that is not a backend (the master key) registers a service of this type.
 *
 * <p>The provider never resolves a declared entry as a reference ({@code
 * keyring:service/username} in a configuration, {@code ^name} in app.config), whoever
 * asks: a configuration is a way in for whoever can write it. The entries stay readable
 * by name, under the access policy, for the shell and the components that own them.
 *
 * <p>The provider also supplies them: while the component {@linkplain #awaitsEntries()
 * awaits} its entries (a locked keyring, an etcd backend without its key), the provider
 * reads each declared entry from the other backends of its chain, never from the
 * component itself, under the access policy for the component's bundle, and hands the
 * value over with {@link #supply}. It does so when it binds the component, when a backend
 * joins the chain or is unlocked, when a declared entry is written through it, and before
 * it uses a backend that awaits its entries. So no component looks the provider up.
 *
 * @since 1.6
 */
@ConsumerType
public interface ProtectedEntries {

    /** @return the entries this component reads its own secrets from; empty when none */
    Set<KeyringEntry> protectedEntries();

    /**
     * Whether the component still needs the values of its declared entries: a keyring
     * that is locked and has no other way to its password, a key source that has no key
     * yet. Asked often: answer from memory.
     *
     * @return whether the provider should {@link #supply} the declared entries; no by default
     * @since 2.0
     */
    default boolean awaitsEntries() {
        return false;
    }

    /**
     * Takes the value of one of the declared entries, read by the provider from another
     * backend. The component keeps what it needs (a key, a sealed copy), never the
     * {@code value} itself: the provider destroys it after the call. An entry the
     * component did not declare is ignored.
     *
     * @param entry one of {@link #protectedEntries()}
     * @param value its value; never logged, never shown
     * @throws org.coffer.BackendException if the value does not do (a wrong password): the
     *         component stays as it was, and says why in its diagnosis
     * @since 2.0
     */
    default void supply(KeyringEntry entry, Secret value) {
        // a component that declares entries only to protect them takes nothing
    }
}
