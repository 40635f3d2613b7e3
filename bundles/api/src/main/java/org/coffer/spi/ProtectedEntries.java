package org.coffer.spi;

import java.util.Set;
import org.coffer.KeyringEntry;
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
 * @since 1.6
 */
@ConsumerType
public interface ProtectedEntries {

    /** @return the entries this component reads its own secrets from; empty when none */
    Set<KeyringEntry> protectedEntries();
}
