package org.coffer.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.coffer.BackendInfo;
import org.coffer.KeyringAdmin;
import org.coffer.shell.internal.Commands.Failure;

/**
 * The keyring files as a long-lived Coffer sees them: whether a service must unlock them
 * before it serves ({@code keyring:unlock --if-needed}), which stay locked, and locking
 * them again ({@code keyring:lock --files}, as an idle agent does).
 */
final class KeyringFiles {

    private final KeyringAdmin provider;
    private final KeyringUnlock unlock;

    KeyringFiles(KeyringAdmin provider, KeyringUnlock unlock) {
        this.provider = provider;
        this.unlock = unlock;
    }

    /**
     * Whether a service must unlock before it serves: the backend in use (the pinned one, or
     * the highest-ranked one with a keyring on disk) is a locked keyring file. When it is
     * not, the locked files stay so, and this says which.
     */
    boolean needed() {
        BackendInfo inUse = inUse(provider.backends());
        return inUse != null && inUse.locked() && inUse.sharesPassword();
    }

    private static BackendInfo inUse(List<BackendInfo> backends) {
        return backends.stream().filter(BackendInfo::active).findFirst().filter(active -> !active.firstPassword())
                .orElseGet(() -> backends.stream().filter(b -> !b.firstPassword() && b.sharesPassword()).findFirst()
                        .orElse(null));
    }

    /** Says which keyring files stay locked, and where secrets go meanwhile. */
    void sayLocked() {
        List<BackendInfo> backends = provider.backends();
        List<String> locked = backends.stream().filter(b -> b.locked() && b.sharesPassword()).map(BackendInfo::name)
                .collect(java.util.stream.Collectors.toList());
        if (!locked.isEmpty()) {
            BackendInfo inUse = inUse(backends);
            System.err.println("Locked: " + String.join(", ", locked) + " (" + (inUse == null ? "no keyring file yet"
                    : "secrets go to " + inUse.name()) + "); a command asks for the password when it needs them");
        }
    }

    /**
     * When the keyring in use needs no password, a password given anyway (a password
     * variable, or a line on standard input when it is not a terminal, as {@code echo $PW |
     * coffer run} gives it) still unlocks the keyring files; nothing is asked, and a wrong or
     * missing one is said, not fatal.
     */
    void unlockIfGiven(CommandSession session) {
        SecretInput input = new SecretInput(session);
        if (input.interactive() || provider.backends().stream().noneMatch(b -> b.locked() && b.sharesPassword())) {
            return;
        }
        char[] password = KeyringUnlock.environmentPassword(session);
        try {
            if (password == null) {
                password = input.readLine(KeyringUnlock.UNLOCK_PROMPT);
            }
        } catch (IOException none) {
            return; // standard input gave none (/dev/null)
        }
        try {
            if (password.length > 0) {
                unlock.unlock(session, List.of(), password);
            }
        } catch (IOException | Failure e) {
            System.err.println(e.getMessage() + " (they stay locked: the keyring in use needs no password)");
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * @param out where each locked backend is named
     * @param names the backends to lock; none for every unlocked one
     * @param filesOnly only the keyring files, which take the user's keyring password
     */
    void lock(PrintStream out, List<String> names, boolean filesOnly) {
        for (BackendInfo backend : provider.backends()) {
            boolean chosen = names.isEmpty() ? !backend.locked() : names.contains(backend.name());
            if (chosen && (!filesOnly || backend.sharesPassword())) {
                provider.lock(backend.name());
                out.println("Locked " + backend.name());
            }
        }
    }

}
