package org.coffer.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.shell.internal.Commands.Body;
import org.coffer.shell.internal.Commands.Failure;
import org.coffer.spi.support.KeyringPasswordSources;

/** How the keyring commands unlock: one password, typed or from the caller's environment, tried on every locked backend. */
final class KeyringUnlock {

    /** Python's prompt for an encrypted keyring's password. */
    static final String UNLOCK_PROMPT = "Please enter password for encrypted keyring: ";
    /** Python's prompts for the first password of a keyring that does not exist yet. */
    static final String NEW_PROMPT = "Please set a password for your new keyring: ";
    static final String CONFIRM_PROMPT = "Please confirm the password: ";
    private static final int NEW_PASSWORD_TRIES = 3;
    /** The backend {@code --cache} keeps the password in: the Linux kernel keyring. */
    static final String CACHE_BACKEND = "keyctl";
    /** The entry the README suggests for the keyring files' {@code password.service}/{@code password.username}. */
    static final KeyringEntry DEFAULT_ENTRY = new KeyringEntry("coffer", "keyring-password");

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

    static char[] environmentPassword(CommandSession session) {
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
        unlock(session, names, given, null);
    }

    /**
     * Unlocks as {@link #unlock(CommandSession, List, char[])} does; with a cache, then
     * also keeps the keyring files' password in the kernel keyring for that long, under
     * the entry they read it from ({@code password.service}, {@code password.username}),
     * so that the next commands find it there and ask nobody. The unlock happens even
     * when the password cannot be cached.
     *
     * @param cache how long the kernel keyring keeps the password, or {@code null}
     * @throws Failure naming every backend the password did not unlock, and why it was not cached
     */
    void unlock(CommandSession session, List<String> names, char[] given, Duration cache)
            throws Failure, IOException {
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
            char[] password = given != null ? given : typed(session, shared);
            try (Secret secret = Secret.of(password)) {
                List<String> unlocked = tryPassword(secret, shared, failures);
                if (cache != null && !unlocked.isEmpty()) {
                    cache(secret, unlocked, cache, failures);
                }
            } finally {
                Arrays.fill(password, '\0');
            }
        } else if (cache != null) {
            failures.add("--cache: no keyring file was locked, so there is no password to cache; lock them"
                    + " (keyring:lock), then run keyring:unlock --cache " + CacheDuration.format(cache) + " again");
        }
        for (String name : others) {
            char[] password = given != null && shared.isEmpty() && others.size() == 1 ? given
                    : new SecretInput(session).readLine("Please enter the password of the keyring '" + name + "': ");
            try (Secret secret = Secret.of(password)) {
                tryPassword(secret, List.of(name), failures);
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        if (!failures.isEmpty()) {
            throw new Failure(1, "keyring: " + String.join("\nkeyring: ", failures));
        }
    }

    /**
     * The password a person types for the keyring files. When every one of them is new (no
     * file yet), it becomes their first password and is asked twice, as Python's
     * keyrings.alt and keyrings.cryptfile ask: a typo would otherwise lock the user out.
     */
    private char[] typed(CommandSession session, List<String> shared) throws IOException, Failure {
        SecretInput input = new SecretInput(session);
        boolean allNew = provider.backends().stream().filter(b -> shared.contains(b.name()))
                .allMatch(BackendInfo::firstPassword);
        if (!allNew || !input.interactive()) {
            return input.readLine(UNLOCK_PROMPT);
        }
        for (int attempt = 0; attempt < NEW_PASSWORD_TRIES; attempt++) {
            char[] first = input.readLine(NEW_PROMPT);
            char[] second = input.readLine(CONFIRM_PROMPT);
            boolean same = Arrays.equals(first, second);
            Arrays.fill(second, '\0');
            if (same && !blank(first)) {
                return first;
            }
            System.err.println(same ? "Error: blank passwords aren't allowed." : "Error: Your passwords didn't match");
            Arrays.fill(first, '\0');
        }
        throw new Failure(1, "keyring: no password was set for the new keyring " + String.join(", ", shared)
                + "; nothing was stored");
    }

    private static boolean blank(char[] password) {
        for (char c : password) {
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** @return the backends the password unlocked */
    private List<String> tryPassword(Secret secret, List<String> names, List<String> failures) {
        List<String> unlocked = new ArrayList<>();
        for (String name : names) {
            try {
                provider.unlock(name, secret);
                unlocked.add(name);
                // a message, not output: standard output of 'keyring:get' must stay the secret alone
                System.err.println("Unlocked " + name);
            } catch (CofferException | IllegalArgumentException e) {
                failures.add(e.getMessage());
            }
        }
        return unlocked;
    }

    /**
     * Stores the password that unlocked these backends in the kernel keyring, under each
     * entry they read their password from, to expire after the lifetime.
     */
    private void cache(Secret password, List<String> unlocked, Duration lifetime, List<String> failures) {
        String why = whyNoKernelKeyring();
        if (why != null) {
            failures.add("--cache: the password was not cached: " + why);
            return;
        }
        Set<KeyringEntry> entries = new LinkedHashSet<>();
        for (BackendInfo backend : provider.backends()) {
            if (unlocked.contains(backend.name())) {
                backend.passwordEntry().ifPresentOrElse(entries::add, () -> failures.add("--cache: the backend '"
                        + backend.name() + "' reads its password from no entry, so it would not find a cached one."
                        + " Set password.service and password.username in its configuration (for example"
                        + " etc/org.coffer.backend." + backend.name() + ".cfg: password.service = "
                        + DEFAULT_ENTRY.service() + ", password.username = " + DEFAULT_ENTRY.username()
                        + "), then run keyring:unlock --cache " + CacheDuration.format(lifetime) + " again"));
            }
        }
        for (KeyringEntry entry : entries) {
            try {
                provider.setExpiring(CACHE_BACKEND, entry.service(), entry.username(), password, lifetime);
                System.err.println("The password stays in the kernel keyring (" + CACHE_BACKEND + ") as '"
                        + entry.username() + "' in '" + entry.service() + "' for " + CacheDuration.format(lifetime));
            } catch (CofferException | IllegalArgumentException | UnsupportedOperationException e) {
                failures.add("--cache: the password was not cached in " + CACHE_BACKEND + ": " + e.getMessage());
            }
        }
    }

    /** @return why the kernel keyring cannot take the cached password, or {@code null} when it can */
    private String whyNoKernelKeyring() {
        if (provider.backends().stream().anyMatch(b -> b.name().equals(CACHE_BACKEND))) {
            return null;
        }
        for (BackendInfo backend : provider.allBackends()) {
            if (backend.name().equals(CACHE_BACKEND)) {
                return "the kernel keyring backend '" + CACHE_BACKEND + "' is not available: " + backend.reason();
            }
        }
        return "the kernel keyring backend '" + CACHE_BACKEND + "' is not installed (Linux only: put"
                + " org.coffer.backend.keyctl into deploy/, or feature:install coffer-keyctl in Karaf)";
    }
}
