package org.coffer.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.shell.internal.Commands.Body;
import org.coffer.shell.internal.Commands.Failure;
import org.coffer.spi.KeyringPasswordSources;

/** How the keyring commands unlock: one password, typed or from the caller's environment, tried on every locked backend. */
final class KeyringUnlock {

    /** Python's prompt for an encrypted keyring's password. */
    static final String UNLOCK_PROMPT = "Please enter password for encrypted keyring: ";

    private final KeyringAdmin provider;

    KeyringUnlock(KeyringAdmin provider) {
        this.provider = provider;
    }

    /**
     * Runs a command that reads or writes secrets. If a locked keyring stands in the way,
     * unlocks it with the password of the caller's environment (which matters when the
     * caller is a client of an agent that is still locked) or, when a person is at the
     * terminal, with a password typed as Python's keyring asks for it, and tries once more.
     */
    void retry(CommandSession session, PrintStream out, Body body) throws Failure, IOException {
        try {
            body.run(out);
        } catch (KeyringLockedException locked) {
            char[] password = environmentPassword(session);
            if (password == null && !new SecretInput(session).interactive()) {
                throw locked;
            }
            unlock(session, List.of(), password);
            body.run(out);
        }
    }

    private static char[] environmentPassword(CommandSession session) {
        Map<String, String> env = SecretInput.env(session);
        return KeyringPasswordSources.variable(env).map(name -> env.get(name).toCharArray()).orElse(null);
    }

    /**
     * Unlocks with one password. Without names it goes to the locked backends that share
     * the user's keyring password (the encrypted files) and to no other: a backend such as
     * the Secret Service is sent a password only when it is named. Named backends each
     * get a password asked for them alone, unless one is given.
     *
     * @param session the command's session
     * @param names backend names, or none for the locked keyring files
     * @param given the password, cleared here; {@code null} to ask for it
     * @throws Failure naming every backend the password did not unlock
     * @throws IOException if the password could not be read
     */
    void unlock(CommandSession session, List<String> names, char[] given) throws Failure, IOException {
        for (String name : names) {
            if (provider.backends().stream().noneMatch(b -> b.name().equals(name))) {
                throw new IllegalArgumentException("No available keyring backend is named '" + name + "'");
            }
        }
        List<String> shared = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (BackendInfo backend : provider.backends()) {
            if (backend.locked() && names.isEmpty() && backend.sharesPassword()) {
                shared.add(backend.name());
            } else if (backend.locked() && names.contains(backend.name())) {
                (backend.sharesPassword() ? shared : others).add(backend.name());
            }
        }
        List<String> failures = new ArrayList<>();
        if (!shared.isEmpty()) {
            tryPassword(given != null ? given : new SecretInput(session).readLine(UNLOCK_PROMPT), shared, failures);
        }
        for (String name : others) {
            char[] password = given != null && shared.isEmpty() && others.size() == 1 ? given
                    : new SecretInput(session).readLine("Please enter the password of the keyring '" + name + "': ");
            tryPassword(password, List.of(name), failures);
        }
        if (!failures.isEmpty()) {
            throw new Failure(1, "keyring: " + String.join("\nkeyring: ", failures));
        }
    }

    private void tryPassword(char[] password, List<String> names, List<String> failures) {
        try (Secret secret = Secret.of(password)) {
            for (String name : names) {
                try {
                    provider.unlock(name, secret);
                    // a message, not output: standard output of 'keyring:get' must stay the secret alone
                    System.err.println("Unlocked " + name);
                } catch (CofferException | IllegalArgumentException e) {
                    failures.add(e.getMessage());
                }
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
