package org.coffer.crypto.internal;

import java.util.Optional;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.spi.SecretResolver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Resolves {@code enc:CIPHERTEXT} (also {@code enc:ENC(...)}) with the master password. */
@Component(property = SecretResolver.SCHEME + "=enc")
public final class EncResolver implements SecretResolver {

    private final MasterKey key;

    @Activate
    public EncResolver(@Reference MasterKey key) {
        this.key = key;
    }

    @Override
    public String scheme() {
        return "enc";
    }

    @Override
    public Optional<Secret> resolve(String path) {
        String ciphertext = path.startsWith("ENC(") && path.endsWith(")") ? path.substring(4, path.length() - 1) : path;
        if (ciphertext.isBlank()) {
            throw new IllegalArgumentException("An enc reference has the form enc:CIPHERTEXT (base64)");
        }
        return Optional.of(key.decrypt(ciphertext, "an enc: reference"));
    }
}
