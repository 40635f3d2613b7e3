package org.coffer.backend.etcd.internal;

import java.util.Optional;
import org.coffer.CredentialProvider;
import org.coffer.Secret;
import org.osgi.service.component.ComponentServiceObjects;

/**
 * The entries of the machine's own backends that hold what etcd must not see: the
 * key-encryption key and the etcd user's password. The provider is got only for the
 * lookup and given back after, since it holds this backend too; while this thread asks
 * it, the etcd backend answers nothing, so that it never looks itself up.
 */
final class LocalEntries {

    private static final ThreadLocal<Boolean> ASKING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private volatile ComponentServiceObjects<CredentialProvider> provider;

    void use(ComponentServiceObjects<CredentialProvider> objects) {
        provider = objects;
    }

    /** @return whether this thread is asking the provider on the etcd backend's behalf */
    static boolean asking() {
        return ASKING.get();
    }

    /** @return the entry, or empty when it or the provider is missing */
    Optional<Secret> get(String service, String username) {
        ComponentServiceObjects<CredentialProvider> objects = provider;
        if (objects == null || service.isBlank() || username.isBlank()) {
            return Optional.empty();
        }
        CredentialProvider current = objects.getService();
        if (current == null) {
            return Optional.empty();
        }
        ASKING.set(Boolean.TRUE);
        try {
            return current.get(service, username);
        } finally {
            ASKING.set(Boolean.FALSE);
            objects.ungetService(current);
        }
    }
}
