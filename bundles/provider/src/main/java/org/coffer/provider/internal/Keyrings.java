package org.coffer.provider.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.coffer.CofferException;
import org.coffer.Credential;
import org.coffer.CredentialProvider;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.SecretReference;
import org.coffer.spi.ProtectedEntries;
import org.coffer.spi.SecretResolver;

/**
 * What applications ask of the keyrings: read, write and delete an entry through the
 * {@link BackendChain}, and resolve references. Names are checked here; who may ask is
 * decided before, in each bundle's {@link CallerView}.
 */
final class Keyrings implements CredentialProvider {

    private final BackendChain chain;
    private final DeclaredEntries declared;
    private final EntrySupply supply;
    private final Supplier<List<SecretResolver>> resolvers;

    Keyrings(BackendChain chain, DeclaredEntries declared, EntrySupply supply,
            Supplier<List<SecretResolver>> resolvers) {
        this.chain = chain;
        this.declared = declared;
        this.supply = supply;
        this.resolvers = resolvers;
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        checkNames(service, username);
        return chain.get(service, username);
    }

    @Override
    public Optional<Credential> getCredential(String service, String username) {
        checkNames(service, username == null ? "-" : username);
        return chain.getCredential(service, username);
    }

    /** A declared entry read for its owners, never from one of them ({@link EntrySupply}). */
    Optional<Secret> getFor(Set<ProtectedEntries> owners, KeyringEntry entry) {
        return chain.getFor(owners, entry.service(), entry.username());
    }

    /** A write of an entry that a backend or a key source declared supplies it at once. */
    @Override
    public void set(String service, String username, Secret secret) {
        checkNames(service, username);
        chain.set(service, username, secret);
        written(service, username);
    }

    /** After a write: the components that declared the entry take its new value. */
    void written(String service, String username) {
        KeyringEntry entry = new KeyringEntry(service, username);
        if (declared.isDeclared(entry)) {
            supply.written(entry);
        }
    }

    @Override
    public boolean delete(String service, String username) {
        checkNames(service, username);
        return chain.delete(service, username);
    }

    /**
     * @throws IllegalArgumentException if the service or username is empty
     */
    static void checkNames(String service, String username) {
        if (service == null || service.isEmpty()) {
            throw new IllegalArgumentException("The service must not be empty");
        }
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("The username must not be empty");
        }
    }

    /**
     * @throws org.coffer.AccessDeniedException if a backend or key source declared the entry as its own
     */
    void refuseReference(String service, String username) {
        declared.refuseReference(service, username);
    }

    @Override
    public Optional<Secret> resolve(String reference) {
        SecretReference parsed = SecretReference.parse(reference);
        if (SecretReference.KEYRING.equals(parsed.scheme())) {
            declared.refuseReference(parsed.keyringService(), parsed.keyringUsername());
            return get(parsed.keyringService(), parsed.keyringUsername());
        }
        for (SecretResolver resolver : resolvers.get()) {
            if (resolver.scheme().equals(parsed.scheme())) {
                return resolver.resolve(parsed.path());
            }
        }
        throw new CofferException("No resolver handles secret references of the scheme '" + parsed.scheme()
                + "'. Install the bundle that provides it.");
    }
}
