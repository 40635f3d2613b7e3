package org.coffer.spi;

import java.util.Optional;
import org.coffer.CofferException;
import org.coffer.Secret;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns one kind of secret reference into a value: {@code keyring:service/username},
 * {@code env:NAME}, {@code enc:ciphertext}, and whatever later bundles add.
 *
 * <p>Registered as a service with the property {@value #SCHEME} naming the scheme it
 * handles, and a {@code service.ranking}; the highest-ranked resolver for a scheme wins.
 */
@ConsumerType
public interface SecretResolver {

    /** The service property that names the scheme a resolver handles. */
    String SCHEME = "coffer.resolver.scheme";

    /** @return the scheme this resolver handles, as in {@value #SCHEME} */
    String scheme();

    /**
     * @param path the reference without its scheme and colon
     * @return the secret, or empty when the reference finds nothing
     * @throws IllegalArgumentException if the path is malformed for this scheme
     * @throws CofferException if the lookup failed
     */
    Optional<Secret> resolve(String path);
}
