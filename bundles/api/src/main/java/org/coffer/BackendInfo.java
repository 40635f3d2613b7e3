package org.coffer;

import java.util.Objects;
import java.util.Optional;

/** What the provider knows about one keyring backend at a moment. */
public final class BackendInfo {

    private final String name;
    private final String description;
    private final int ranking;
    private final boolean active;
    private final boolean viable;
    private final boolean locked;
    private final String reason;
    private final boolean sharesPassword;
    private final KeyringEntry passwordEntry;
    private final boolean firstPassword;

    /**
     * @param name the backend's name, unique among backends
     * @param description one line on what it stores where
     * @param ranking its {@code service.ranking}
     * @param active whether writes go to it
     * @param viable whether it works on this machine
     * @param locked whether it waits to be unlocked
     * @param reason why it is not viable, or {@code null}
     */
    public BackendInfo(String name, String description, int ranking, boolean active,
            boolean viable, boolean locked, String reason) {
        this(name, description, ranking, active, viable, locked, reason, false);
    }

    /**
     * @param name the backend's name, unique among backends
     * @param description one line on what it stores where
     * @param ranking its {@code service.ranking}
     * @param active whether writes go to it
     * @param viable whether it works on this machine
     * @param locked whether it waits to be unlocked
     * @param reason why it is not viable, or {@code null}
     * @param sharesPassword whether it takes the user's keyring password, typed once for all such backends
     */
    public BackendInfo(String name, String description, int ranking, boolean active,
            boolean viable, boolean locked, String reason, boolean sharesPassword) {
        this(name, description, ranking, active, viable, locked, reason, sharesPassword, null, false);
    }

    private BackendInfo(String name, String description, int ranking, boolean active, boolean viable,
            boolean locked, String reason, boolean sharesPassword, KeyringEntry passwordEntry, boolean firstPassword) {
        this.sharesPassword = sharesPassword;
        this.passwordEntry = passwordEntry;
        this.firstPassword = firstPassword;
        this.name = Objects.requireNonNull(name, "name");
        this.description = description == null ? "" : description;
        this.ranking = ranking;
        this.active = active;
        this.viable = viable;
        this.locked = locked;
        this.reason = reason;
    }

    /** @return the backend's name */
    public String name() {
        return name;
    }

    /** @return one line on what it stores where */
    public String description() {
        return description;
    }

    /** @return its ranking; higher wins */
    public int ranking() {
        return ranking;
    }

    /** @return whether writes go to it */
    public boolean active() {
        return active;
    }

    /**
     * @return whether it takes the user's keyring password, typed or piped once for all
     *         such backends (the encrypted keyring files); any other backend takes a
     *         password only when it is named
     */
    public boolean sharesPassword() {
        return sharesPassword;
    }

    /**
     * @return the entry of another backend this one reads its password from, as its
     *         {@code password.service} and {@code password.username} name it, if any
     * @since 2.1
     */
    public Optional<KeyringEntry> passwordEntry() {
        return Optional.ofNullable(passwordEntry);
    }

    /**
     * @param entry the entry of another backend that holds this one's password, or {@code null}
     * @return a copy of this information with that entry
     * @since 2.1
     */
    public BackendInfo withPasswordEntry(KeyringEntry entry) {
        return new BackendInfo(name, description, ranking, active, viable, locked, reason, sharesPassword, entry,
                firstPassword);
    }

    /**
     * @return whether unlocking it sets the first password of a keyring that does not
     *         exist yet, which a person is asked for twice, as Python asks for a new keyring's
     * @since 2.1
     */
    public boolean firstPassword() {
        return firstPassword;
    }

    /**
     * @param first whether unlocking it sets the first password of a new keyring
     * @return a copy of this information with that state
     * @since 2.1
     */
    public BackendInfo withFirstPassword(boolean first) {
        return new BackendInfo(name, description, ranking, active, viable, locked, reason, sharesPassword,
                passwordEntry, first);
    }

    /** @return whether it works on this machine */
    public boolean viable() {
        return viable;
    }

    /** @return whether it is locked */
    public boolean locked() {
        return locked;
    }

    /** @return why it is not viable, or {@code null} when it is */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return name + " (ranking: " + ranking + ")" + (active ? " active" : "")
                + (viable ? "" : " not viable: " + reason);
    }
}
