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
import org.coffer.CredentialProvider;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.shell.internal.Commands.Body;
import org.coffer.shell.internal.Commands.Failure;
import org.coffer.spi.KeyringPasswordSources;

/** How the keyring commands unlock: one password, typed or from the caller's environment, tried on every locked backend. */
final class KeyringUnlock {

    /** Python's prompt for an encrypted keyring's password. */
    static final String UNLOCK_PROMPT = "Please enter password for encrypted keyring: ";

    private final CredentialProvider provider;

    KeyringUnlock(CredentialProvider provider) {
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
     * Asks once for a password (unless given) and tries it on every locked backend named
     * (all when none are).
     *
     * @param session the command's session
     * @param names backend names, or none for every locked backend
     * @param given the password, cleared here; {@code null} to ask for it
     * @throws Failure naming every backend the password did not unlock
     * @throws IOException if the password could not be read
     */
    void unlock(CommandSession session, List<String> names, char[] given) throws Failure, IOException {
        List<String> locked = new ArrayList<>();
        for (BackendInfo backend : provider.backends()) {
            if (backend.locked() && (names.isEmpty() || names.contains(backend.name()))) {
                locked.add(backend.name());
            }
        }
        for (String name : names) {
            if (provider.backends().stream().noneMatch(b -> b.name().equals(name))) {
                throw new IllegalArgumentException("No available keyring backend is named '" + name + "'");
            }
        }
        if (locked.isEmpty()) {
            return;
        }
        char[] password = given != null ? given : new SecretInput(session).readLine(UNLOCK_PROMPT);
        List<String> failures = new ArrayList<>();
        try (Secret secret = Secret.of(password)) {
            for (String name : locked) {
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
        if (!failures.isEmpty()) {
            throw new Failure(1, "keyring: " + String.join("\nkeyring: ", failures));
        }
    }
}
