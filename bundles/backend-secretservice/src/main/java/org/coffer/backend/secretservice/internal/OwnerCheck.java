package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coffer.BackendException;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt32;

/**
 * Which owners of {@code org.freedesktop.secrets} Coffer sends secrets and passwords to.
 * Any process of the user can claim the name on a bus where it is free, and the owner
 * receives every secret written and the keyring password, so Coffer accepts an owner
 * only if the program it runs is on an allow-list ({@code allowed.executables}: a file
 * name, or a full path), and then addresses it by its unique name alone.
 */
final class OwnerCheck {

    /** The programs that serve the Secret Service on Linux desktops. */
    static final List<String> KNOWN_SERVICES = List.of("gnome-keyring-daemon", "keepassxc", "kwalletd5",
            "kwalletd6", "ksecretd");
    static final OwnerCheck DEFAULT = new OwnerCheck(KNOWN_SERVICES, false);

    private final List<String> executables;
    private final boolean allowUnidentified;

    /**
     * @param executables the programs trusted to own the name: a file name matches the
     *        program's file name, a path its whole path
     * @param allowUnidentified whether to trust an owner whose program cannot be told
     */
    OwnerCheck(List<String> executables, boolean allowUnidentified) {
        this.executables = List.copyOf(executables);
        this.allowUnidentified = allowUnidentified;
    }

    /** @return the check a configuration asks for; a list given as one string is split at commas */
    static OwnerCheck of(SecretServiceConfig config) {
        List<String> executables = new ArrayList<>();
        for (String value : config.allowed_executables()) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    executables.add(entry.strip());
                }
            }
        }
        return new OwnerCheck(executables, config.allow_unidentified_owner());
    }

    List<String> executables() {
        return executables;
    }

    /**
     * Starts the service if the bus can activate it, then checks its owner.
     *
     * @return the unique name of the owner, to send every call to
     * @throws BackendException naming the owner and its program when it is not trusted
     */
    String pin(DBusConnection connection) throws DBusException {
        DBus bus = SessionBus.daemon(connection);
        if (!bus.NameHasOwner(SecretServiceApi.BUS_NAME)) {
            bus.StartServiceByName(SecretServiceApi.BUS_NAME, new UInt32(0));
        }
        BusOwner owner = BusOwner.of(bus);
        Optional<String> refusal = refusal(owner);
        if (refusal.isPresent()) {
            throw new BackendException(refusal.get());
        }
        return owner.uniqueName;
    }

    /** @return empty when the owner may be sent secrets, else why not, in sentences a person can act on */
    Optional<String> refusal(BusOwner owner) {
        String owned = SecretServiceApi.BUS_NAME + " is owned by " + owner.uniqueName;
        if (owner.isThisProcess()) {
            // whatever the allow-list and the ranking say: reading the chain through the chain is a loop
            return Optional.of(owned + ", Coffer's own Secret Service (org.coffer.secretservice.provider) in this"
                    + " process; the secretservice backend never uses it");
        }
        if (owner.executable.isEmpty()) {
            if (allowUnidentified) {
                return Optional.empty();
            }
            return Optional.of(owned + ", whose program Coffer cannot tell: " + owner.unknownBecause + ". Coffer sends"
                    + " nothing to an owner it cannot identify; set allow.unidentified.owner=true in "
                    + SecretServiceBackend.PID + " to trust it anyway");
        }
        Path program = owner.executable.get();
        if (allowed(program)) {
            return Optional.empty();
        }
        return Optional.of(owned + ", which runs " + program + "; " + program.getFileName() + " is not in the"
                + " allow-list of Secret Service programs (allowed.executables: " + String.join(", ", executables)
                + "), so Coffer sends it nothing. If it is your keyring, add it to allowed.executables in "
                + SecretServiceBackend.PID);
    }

    private boolean allowed(Path program) {
        for (String entry : executables) {
            boolean matches = entry.contains("/") ? program.equals(Path.of(entry))
                    : program.getFileName() != null && program.getFileName().toString().equals(entry);
            if (matches) {
                return true;
            }
        }
        return false;
    }
}
