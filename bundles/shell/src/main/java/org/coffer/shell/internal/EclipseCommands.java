package org.coffer.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.coffer.CredentialProvider;
import org.coffer.KeyringAdmin;
import org.coffer.Secret;
import org.coffer.shell.internal.Commands.Failure;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code eclipse:rehome}: an Eclipse secure storage file moved, so the Coffer entry that
 * holds its master password (service {@value #SERVICE}, username the file's canonical
 * path, as {@code org.coffer.eclipse} keeps it) moves with it, with the password a change
 * replaced. {@code eclipse:takeover}: a storage written under another master password
 * moves to Coffer's provider ({@link EclipseTakeover}). Never prints a secret.
 */
@Component(service = {})
public final class EclipseCommands extends CommandGroup {

    /** The service of the master password entries of {@code org.coffer.eclipse}. */
    static final String SERVICE = "eclipse secure storage";
    private static final String PREVIOUS = " (previous)";

    private final CredentialProvider provider;
    private final KeyringUnlock unlock;

    @Activate
    public EclipseCommands(@Reference CredentialProvider provider, @Reference KeyringAdmin admin) {
        super("eclipse", "rehome", "takeover");
        this.provider = provider;
        this.unlock = new KeyringUnlock(admin);
    }

    private EclipseCommands(EclipseCommands component, String function) {
        super(component, function);
        this.provider = component.provider;
        this.unlock = component.unlock;
    }

    @Override
    EclipseCommands named(String function) {
        return new EclipseCommands(this, function);
    }

    @Descriptor("move the master password of an Eclipse secure storage file that moved to its new place")
    public void rehome(CommandSession session,
            @Descriptor("where the storage file was") String from,
            @Descriptor("where it is now") String to) {
        Commands.run(session, "eclipse", out -> unlock.retry(session, out, print -> {
            Path cwd = SecretInput.cwd(session);
            String old = cwd.resolve(from).toFile().getCanonicalPath();
            Path moved = cwd.resolve(to);
            if (!Files.isRegularFile(moved)) {
                throw new Failure(1, "eclipse: " + moved + " is not a file: move the storage first, then its password");
            }
            String now = moved.toFile().getCanonicalPath();
            if (old.equals(now)) {
                throw new IllegalArgumentException("the storage is already at " + now);
            }
            if (provider.get(SERVICE, now).isPresent()) {
                throw new Failure(1, "eclipse: Coffer already holds a master password for " + now
                        + "; delete it first (keyring:delete '" + SERVICE + "' " + now + ") if it is stale");
            }
            if (!move(old, now)) {
                throw new Failure(1, "eclipse: Coffer holds no master password for " + old);
            }
            move(old + PREVIOUS, now + PREVIOUS);
            print.println("The master password of " + now + " is in Coffer; " + old + " has none now");
        }));
    }

    @Descriptor("move an Eclipse secure storage written under another master password (Eclipse's own provider,"
            + " a -eclipse.password file) to Coffer's password provider: its values are encrypted again under a new"
            + " master password that Coffer keeps, after a copy of the file. The old password is typed, piped in"
            + " (secret-tool lookup xdg:schema org.eclipse.equinox | ...), or read from a file")
    public void takeover(CommandSession session,
            @Parameter(names = {"-p", "--password-file"}, absentValue = "")
            @Descriptor("a file holding the old master password, as Eclipse's -eclipse.password") String passwordFile,
            @Descriptor("the storage file; none for ~/.eclipse/org.eclipse.equinox.security/secure_storage")
            String... file) {
        Commands.run(session, "eclipse", out -> unlock.retry(session, out, print -> {
            if (file.length > 1) {
                throw new IllegalArgumentException("one storage file at a time");
            }
            try {
                Class.forName(EclipseTakeover.STORAGE_CLASS, false, EclipseCommands.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError missing) {
                throw new Failure(1, "eclipse: taking over needs the eclipse backend's bundle"
                        + " (org.coffer.backend.eclipse), which is not installed");
            }
            new EclipseTakeover(provider).run(new SecretInput(session), SecretInput.env(session), SecretInput.cwd(session), print,
                    file.length == 0 ? null : file[0], passwordFile.isEmpty() ? null : passwordFile);
        }));
    }

    /** Writes the new entry before it deletes the old one: a failure between leaves both. */
    private boolean move(String from, String to) throws IOException {
        Optional<Secret> value = provider.get(SERVICE, from);
        if (value.isEmpty()) {
            return false;
        }
        try (Secret secret = value.get()) {
            provider.set(SERVICE, to, secret);
        }
        provider.delete(SERVICE, from);
        return true;
    }
}
