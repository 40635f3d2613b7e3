package org.coffer.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.coffer.CredentialProvider;
import org.coffer.Secret;
import org.coffer.backend.eclipse.storage.EclipseProcesses;
import org.coffer.backend.eclipse.storage.SecureStorage;
import org.coffer.backend.eclipse.storage.StorageTakeOver;
import org.coffer.shell.internal.Commands.Failure;
import org.coffer.spi.support.UserHome;

/**
 * {@code eclipse:takeover}: an Eclipse secure storage written under another password
 * provider (Eclipse's Linux, Windows or macOS one, a {@code -eclipse.password} file, a
 * typed password) moves to Coffer's ({@code org.coffer.eclipse}). A new master password
 * goes into Coffer first, then the storage is encrypted again under it, after a copy of
 * the file as it was; a failure between leaves Coffer as it was. Kept apart from
 * {@link EclipseCommands} because it needs the eclipse backend's bundle, which the shell
 * imports only when it is there.
 */
final class EclipseTakeover {

    /** The module id of Coffer's password provider in {@code org.coffer.eclipse}'s plugin.xml. */
    static final String MODULE_ID = "org.coffer.eclipse.provider";

    /** A class of the eclipse backend's storage package, which the shell imports when that bundle is there. */
    static final String STORAGE_CLASS = "org.coffer.backend.eclipse.storage.StorageTakeOver";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CredentialProvider provider;

    EclipseTakeover(CredentialProvider provider) {
        this.provider = provider;
    }

    /**
     * @param input the caller's input, where the old master password is typed or piped in
     * @param env the caller's environment
     * @param cwd the caller's folder
     * @param out the command's output
     * @param file the storage file, or null for the caller's default one
     * @param passwordFile the old master password's file, or null to read it (typed, or piped in)
     */
    void run(SecretInput input, java.util.Map<String, String> env, Path cwd, PrintStream out, String file,
            String passwordFile) throws Failure, IOException {
        Path storage = file == null ? SecureStorage.defaultFile(env) : cwd.resolve(file);
        if (!Files.isRegularFile(storage)) {
            throw new Failure(1, "eclipse: no secure storage at " + storage);
        }
        String canonical = storage.toFile().getCanonicalPath();
        List<String> holders = EclipseProcesses.holding(storage, UserHome.of(env));
        if (!holders.isEmpty()) {
            throw new Failure(1, "eclipse: an Eclipse uses " + canonical + " (process " + String.join(", ", holders)
                    + "); it would overwrite the storage on its next save: close it, then take over");
        }
        char[] old = passwordFile != null ? fromFile(cwd.resolve(passwordFile))
                : input.readLine("Master password of " + canonical + " (as Eclipse had it): ");
        char[] made = newPassword();
        try {
            Optional<Secret> before = provider.get(EclipseCommands.SERVICE, canonical);
            try (Secret secret = Secret.of(made)) {
                provider.set(EclipseCommands.SERVICE, canonical, secret);
            }
            StorageTakeOver.Result result;
            try {
                result = StorageTakeOver.takeOver(storage, old, MODULE_ID, made);
            } catch (IllegalArgumentException refused) {
                restore(canonical, before);
                throw new Failure(1, "eclipse: " + refused.getMessage());
            } catch (IOException | RuntimeException e) {
                restore(canonical, before);
                throw e;
            }
            before.ifPresent(Secret::close);
            out.println("Took over " + result.values() + " values of " + canonical + " from "
                    + String.join(", ", result.modules()) + "; its master password is in Coffer now");
            out.println("The file as it was: " + result.backup());
            out.println("Eclipse opens it through Coffer's password provider (org.coffer.eclipse) from now on;"
                    + " the old master password opens only that copy");
        } finally {
            Arrays.fill(old, '\0');
            Arrays.fill(made, '\0');
        }
    }

    private static char[] fromFile(Path passwordFile) throws IOException {
        try (Secret secret = SecureStorage.passwordFile(passwordFile)) {
            return secret.chars();
        }
    }

    /** Puts back what Coffer held for the storage before, or deletes the new entry. */
    private void restore(String canonical, Optional<Secret> before) {
        if (before.isPresent()) {
            try (Secret secret = before.get()) {
                provider.set(EclipseCommands.SERVICE, canonical, secret);
            }
        } else {
            provider.delete(EclipseCommands.SERVICE, canonical);
        }
    }

    /** @return 64 random bytes in base64, as Coffer's and Eclipse's providers make master passwords */
    private static char[] newPassword() {
        byte[] bytes = new byte[64];
        RANDOM.nextBytes(bytes);
        try {
            return Base64.getEncoder().encodeToString(bytes).toCharArray();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
