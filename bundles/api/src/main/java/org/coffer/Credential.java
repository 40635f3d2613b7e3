package org.coffer;

import java.util.Objects;

/**
 * A username together with its secret, as a keyring returns it when asked for the
 * credential of a service.
 */
public final class Credential {

    private final String username;
    private final Secret secret;

    /**
     * @param username the username, not {@code null}
     * @param secret the secret, not {@code null}
     */
    public Credential(String username, Secret secret) {
        this.username = Objects.requireNonNull(username, "username");
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /** @return the username */
    public String username() {
        return username;
    }

    /** @return the secret */
    public Secret secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "Credential[username=" + username + ", secret=****]";
    }
}
