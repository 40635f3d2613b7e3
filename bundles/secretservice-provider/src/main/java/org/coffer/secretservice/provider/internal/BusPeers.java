package org.coffer.secretservice.provider.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;

/**
 * Who calls, for the audit: the process behind a bus client (the bus's
 * {@code GetConnectionUnixProcessID}), its program ({@code /proc/PID/exe}) and, for an
 * interpreter, its script. Information for a person reading the audit, not an identity
 * to grant rights to: two scripts of one user are not kept apart by it.
 */
final class BusPeers {

    private static final Set<String> INTERPRETERS = Set.of("python", "python3", "perl", "ruby", "node", "sh", "bash",
            "dash", "java");

    private final DBus bus;
    private final Map<String, String> described = new ConcurrentHashMap<>();

    BusPeers(DBusConnection connection) throws DBusException {
        this.bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        connection.addSigHandler(DBus.NameOwnerChanged.class, changed -> {
            if (changed.newOwner.isEmpty()) {
                described.remove(changed.name);
            }
        });
    }

    /** @return the peer of the call this thread serves, or null outside a call */
    String current() {
        DBusCallInfo call = AbstractConnectionBase.getCallInfo();
        return call == null || call.getSource() == null ? null : described.computeIfAbsent(call.getSource(), this::describe);
    }

    private String describe(String unique) {
        long pid;
        try {
            pid = bus.GetConnectionUnixProcessID(unique).longValue();
        } catch (RuntimeException unknown) {
            return unique + " (the bus does not tell its process)";
        }
        StringBuilder text = new StringBuilder();
        try {
            Path program = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
            text.append(program);
            String name = program.getFileName().toString().replaceAll("[0-9.]+$", "");
            if (INTERPRETERS.contains(name) || INTERPRETERS.contains(program.getFileName().toString())) {
                String script = script(pid);
                if (script != null) {
                    text.append(' ').append(script);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            text.append("a program Coffer cannot tell");
        }
        return text.append(" (pid ").append(pid).append(')').toString();
    }

    /** @return the first argument that is not an option: the script an interpreter runs, or null */
    private static String script(long pid) throws IOException {
        String[] arguments = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8).split("\0");
        for (int i = 1; i < arguments.length; i++) {
            if (arguments[i].equals("-c") || arguments[i].equals("-m")) {
                return i + 1 < arguments.length ? arguments[i] + " " + abbreviated(arguments[i + 1]) : null;
            }
            if (!arguments[i].startsWith("-")) {
                return arguments[i];
            }
        }
        return null;
    }

    private static String abbreviated(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }
}
