package org.coffer;

import java.util.Objects;

/** The address of one secret in a keyring: its service and username, never its value. */
public final class KeyringEntry {

    private final String service;
    private final String username;

    /**
     * @param service the service
     * @param username the username
     */
    public KeyringEntry(String service, String username) {
        this.service = Objects.requireNonNull(service, "service");
        this.username = Objects.requireNonNull(username, "username");
    }

    /** @return the service */
    public String service() {
        return service;
    }

    /** @return the username */
    public String username() {
        return username;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyringEntry
                && ((KeyringEntry) other).service.equals(service)
                && ((KeyringEntry) other).username.equals(username);
    }

    @Override
    public int hashCode() {
        return service.hashCode() * 31 + username.hashCode();
    }

    @Override
    public String toString() {
        return service + "/" + username;
    }
}
