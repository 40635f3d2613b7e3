package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;

/**
 * Who owns {@code org.freedesktop.secrets} on a bus: its unique name, which nobody else
 * can take over, and the program its process runs as {@code /proc/PID/exe} tells it,
 * or why that cannot be told.
 */
final class BusOwner {

    private static final String DELETED = " (deleted)";

    final String uniqueName;
    /** The program, or empty when the bus or {@code /proc} does not tell it. */
    final Optional<Path> executable;
    /** Why the program is not known, when it is not. */
    final String unknownBecause;
    /** The owner's process, or -1 when the bus does not tell it. */
    final long pid;

    private BusOwner(String uniqueName, Optional<Path> executable, String unknownBecause, long pid) {
        this.uniqueName = uniqueName;
        this.executable = executable;
        this.unknownBecause = unknownBecause;
        this.pid = pid;
    }

    static BusOwner running(String uniqueName, Path executable) {
        return new BusOwner(uniqueName, Optional.of(executable), "", -1);
    }

    static BusOwner unidentified(String uniqueName, String because) {
        return new BusOwner(uniqueName, Optional.empty(), because, -1);
    }

    /** @return whether the owner is this very process: Coffer's own Secret Service */
    boolean isThisProcess() {
        return pid == ProcessHandle.current().pid();
    }

    /**
     * Asks the bus for the owner of the name and the process of that connection, and
     * {@code /proc} for the process's program.
     *
     * @param bus the bus daemon
     * @return the owner now
     * @throws DBusExecutionException if nobody owns the name
     */
    static BusOwner of(DBus bus) {
        String unique = bus.GetNameOwner(SecretServiceApi.BUS_NAME);
        long pid;
        try {
            pid = processOf(bus, unique);
        } catch (DBusExecutionException e) {
            return unidentified(unique, "the bus does not tell its process (" + e.getType() + ")");
        }
        if (pid == ProcessHandle.current().pid()) {
            return new BusOwner(unique, Optional.empty(), "it is this process", pid);
        }
        Path link = Path.of("/proc", Long.toString(pid), "exe");
        Path program;
        try {
            program = Files.readSymbolicLink(link);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return unidentified(unique, "cannot read " + link + " (" + e.getClass().getSimpleName() + ")");
        }
        // a live connection keeps its process, so its id cannot have passed to another program meanwhile
        try {
            if (processOf(bus, unique) != pid) {
                return unidentified(unique, "its process changed while Coffer looked");
            }
        } catch (DBusExecutionException e) {
            return unidentified(unique, "it left the bus while Coffer looked");
        }
        return running(unique, withoutDeleted(program));
    }

    private static long processOf(DBus bus, String unique) {
        return bus.GetConnectionUnixProcessID(unique).longValue();
    }

    /** A program replaced by an update while it runs shows as {@code PATH (deleted)}. */
    private static Path withoutDeleted(Path program) {
        String text = program.toString();
        return text.endsWith(DELETED) ? Path.of(text.substring(0, text.length() - DELETED.length())) : program;
    }
}
