package org.coffer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An environment of a {@link CredentialRepository}: its id, its description and the
 * users of its credentials by credential id. Never holds a password.
 */
public final class CredentialEnvironment {

    private final String id;
    private final String description;
    private final Map<String, String> users;

    /**
     * @param id the environment id, not {@code null}
     * @param description the description, or empty
     * @param users the user of each credential by credential id, in file order
     */
    public CredentialEnvironment(String id, String description, Map<String, String> users) {
        this.id = Objects.requireNonNull(id, "id");
        this.description = description == null ? "" : description;
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }

    /** @return the environment id */
    public String id() {
        return id;
    }

    /** @return the description, empty when there is none */
    public String description() {
        return description;
    }

    /** @return the user of each credential by credential id, in file order; unmodifiable */
    public Map<String, String> users() {
        return users;
    }

    @Override
    public String toString() {
        return "CredentialEnvironment[" + id + ", " + users.size() + " credentials]";
    }
}
