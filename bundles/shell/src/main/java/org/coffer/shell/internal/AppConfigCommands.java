package org.coffer.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.coffer.AppConfiguration;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.ConfigDocument;
import org.coffer.ConfigValue;
import org.coffer.CredentialProvider;
import org.coffer.KeyringAdmin;
import org.coffer.Secret;
import org.coffer.SecretReference;
import org.coffer.spi.support.KeyringPasswordSources;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code keyring:config}: Resilient's res-keyring. For every {@code ^} reference of the
 * app.config, shows whether the keyring holds it and offers to set it, typed twice
 * without echo (or read from standard input, a line per answer, for scripts). It never
 * prints a secret.
 */
@Component(service = {})
public final class AppConfigCommands extends CommandGroup {

    private final CredentialProvider provider;
    private final KeyringAdmin admin;
    private final AppConfiguration appConfiguration;
    private final KeyringUnlock unlock;

    @Activate
    public AppConfigCommands(@Reference CredentialProvider provider, @Reference KeyringAdmin admin,
            @Reference AppConfiguration appConfiguration) {
        super("keyring", "config");
        this.provider = provider;
        this.admin = admin;
        this.appConfiguration = appConfiguration;
        this.unlock = new KeyringUnlock(admin);
    }

    private AppConfigCommands(AppConfigCommands component, String function) {
        super(component, function);
        this.provider = component.provider;
        this.admin = component.admin;
        this.appConfiguration = component.appConfiguration;
        this.unlock = component.unlock;
    }

    @Override
    AppConfigCommands named(String function) {
        return new AppConfigCommands(this, function);
    }

    @Descriptor("set the secrets the app.config refers to with ^name (res-keyring)")
    public void config(CommandSession session) {
        config(session, null);
    }

    @Descriptor("set the secrets the given app.config refers to with ^name (res-keyring)")
    public void config(CommandSession session, @Descriptor("the app.config") String file) {
        int status = 0;
        PrintStream out = session.getConsole();
        try {
            Path path = file != null ? SecretInput.cwd(session).resolve(file)
                    : appConfiguration.find(SecretInput.env(session), SecretInput.cwd(session)).orElseThrow(() ->
                    new CofferException("No app.config found: set APP_CONFIG_FILE, or put app.config in the"
                            + " working folder or in ~/.resilient/"));
            ConfigDocument document = appConfiguration.read(path);
            out.println("Configuration file: " + path);
            out.println("Secrets are stored with '" + admin.activeBackend().name() + "'");
            SecretInput input = new SecretInput(session);
            Set<String[]> entries = keyringEntries(document);
            if (!entries.isEmpty()) {
                requirePassword(session, input);
            }
            for (String[] entry : entries) {
                ask(session, input, out, entry[0], entry[1], entry[2]);
            }
            out.println(!entries.isEmpty() ? "Done." : "Nothing to do.");
        } catch (CofferException | IOException e) {
            status = 1;
            System.err.println("keyring: " + e.getMessage());
        } catch (Commands.Failure e) {
            status = e.status;
            System.err.println(e.getMessage());
        }
        Commands.status(session, status);
    }

    /** Every keyring reference once: section, service, name. */
    private static Set<String[]> keyringEntries(ConfigDocument document) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String[]> entries = new LinkedHashSet<>();
        for (String section : document.sections()) {
            for (Map.Entry<String, ConfigValue> option : document.options(section).entrySet()) {
                for (SecretReference reference : option.getValue().references()) {
                    if (!SecretReference.KEYRING.equals(reference.scheme()) || !seen.add(reference.path())) {
                        continue;
                    }
                    entries.add(new String[] {section, reference.keyringService(), reference.keyringUsername()});
                }
            }
        }
        return entries;
    }

    /**
     * A locked keyring that receives the values needs its password: typed at the terminal
     * after the values (as {@code keyring:set} asks), or from a password variable. Without
     * either, no value is read: a script learns which variable to set instead of feeding
     * values that go nowhere.
     */
    private void requirePassword(CommandSession session, SecretInput input) {
        Optional<BackendInfo> locked = admin.backends().stream().filter(b -> b.active() && b.locked()).findFirst();
        if (locked.isPresent() && !input.interactive()
                && KeyringPasswordSources.variable(SecretInput.env(session)).isEmpty()) {
            List<String> variables = KeyringPasswordSources.VARIABLES;
            throw new CofferException("the keyring '" + locked.get().name() + "' that receives the values is locked,"
                    + " and no one is at a terminal to type its password: set " + variables.get(0) + " (or "
                    + String.join(", ", variables.subList(1, variables.size())) + ") to it; no value was read");
        }
    }

    private void ask(CommandSession session, SecretInput input, PrintStream out, String section, String service,
            String name) throws IOException, Commands.Failure {
        Optional<Secret> existing = provider.get(service, name);
        existing.ifPresent(Secret::destroy);
        out.println("[" + section + "] " + name + ": " + (existing.isPresent() ? "^" + name : "<not set>"));
        while (true) {
            char[] value = input.readLine("  Enter new value (or <ENTER> to leave unchanged): ");
            try {
                if (value.length == 0) {
                    return;
                }
                char[] confirm = input.readLine("  Confirm new value: ");
                boolean same = Arrays.equals(value, confirm);
                Arrays.fill(confirm, '\0');
                if (!same) {
                    out.println("Values do not match, try again.");
                    continue;
                }
                try (Secret secret = Secret.of(value)) {
                    // a locked keyring asks for its password now, a new one twice, as keyring:set asks
                    unlock.retry(session, out, o -> provider.set(service, name, secret));
                }
                out.println("Value set.");
                return;
            } finally {
                Arrays.fill(value, '\0');
            }
        }
    }
}
