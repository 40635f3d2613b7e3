package org.coffer.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.coffer.CofferException;
import org.coffer.Credential;
import org.coffer.CredentialEnvironment;
import org.coffer.CredentialRepository;
import org.coffer.Secret;
import org.coffer.shell.internal.Commands.Body;
import org.coffer.shell.internal.Commands.Failure;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code credentials} commands of the Gogo shell, over Pineapple's credentials.xml.
 * Passwords are typed without echo and shown only on request. Each command sets the
 * session variable {@value KeyringCommands#STATUS}: 0 done, 1 not found or failed,
 * 2 wrong usage.
 */
@Component(service = {})
public final class CredentialsCommands extends CommandGroup {

    private static final String[] FUNCTIONS = {
        "list", "get", "add", "update", "delete", "env-add", "env-delete", "refresh", "rekey", "encrypt"
    };

    private final CredentialRepository repository;

    @Activate
    public CredentialsCommands(@Reference CredentialRepository repository) {
        super("credentials", FUNCTIONS);
        this.repository = repository;
    }

    private CredentialsCommands(CredentialsCommands component, String function) {
        super(component, function);
        this.repository = component.repository;
    }

    @Override
    CredentialsCommands named(String function) {
        return new CredentialsCommands(this, function);
    }

    private static void run(CommandSession session, Body body) {
        Commands.run(session, "credentials", body);
    }

    @Descriptor("list the environments, or the credentials (ids and users, never passwords) of one")
    public void list(CommandSession session,
            @Descriptor("print JSON")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("an environment id; none for all environments") String... environment) {
        run(session, out -> {
            if (environment.length > 1) {
                throw new IllegalArgumentException("list takes at most one environment id");
            }
            if (environment.length == 1) {
                CredentialEnvironment found = repository.environment(environment[0]).orElseThrow(
                        () -> new Failure(1, "credentials: no environment '" + environment[0] + "'"));
                if (json) {
                    out.println(Json.write(describe(found)));
                    return;
                }
                int width = found.users().keySet().stream().mapToInt(String::length).max().orElse(2);
                out.println(String.format("%-" + Math.max(width, 2) + "s  %s", "ID", "USER"));
                found.users().forEach((id, user) -> out.println(String.format("%-" + Math.max(width, 2) + "s  %s", id, user)));
                return;
            }
            List<CredentialEnvironment> all = repository.environments();
            if (json) {
                List<Object> list = new ArrayList<>();
                all.forEach(e -> list.add(describe(e)));
                out.println(Json.write(list));
                return;
            }
            int width = all.stream().mapToInt(e -> e.id().length()).max().orElse(11);
            String format = "%-" + Math.max(width, 11) + "s  %11s  %s";
            out.println(String.format(format, "ENVIRONMENT", "CREDENTIALS", "DESCRIPTION"));
            for (CredentialEnvironment e : all) {
                out.println(String.format(format, e.id(), e.users().size(), e.description()));
            }
        });
    }

    private static Map<String, Object> describe(CredentialEnvironment environment) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", environment.id());
        item.put("description", environment.description());
        List<Object> credentials = new ArrayList<>();
        environment.users().forEach((id, user) -> credentials.add(Map.of("id", id, "user", user)));
        item.put("credentials", credentials);
        return item;
    }

    @Descriptor("print the user of a credential; its password too with --reveal (exit status 1 if there is none)")
    public void get(CommandSession session,
            @Descriptor("also print the password, on the second line")
            @Parameter(names = {"-r", "--reveal"}, presentValue = "true", absentValue = "false") boolean reveal,
            @Descriptor("print JSON")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the environment id") String environment,
            @Descriptor("the credential id") String id) {
        run(session, out -> {
            Optional<Credential> credential = repository.get(environment, id);
            if (credential.isEmpty()) {
                throw new Failure(1, "credentials: no credential '" + id + "' in environment '" + environment + "'");
            }
            try (Secret password = credential.get().secret()) {
                if (json) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("environment", environment);
                    item.put("id", id);
                    item.put("user", credential.get().username());
                    if (reveal) {
                        item.put("password", password.reveal());
                    }
                    out.println(Json.write(item));
                    return;
                }
                out.println(credential.get().username());
                if (reveal) {
                    // the user asked to see the password: print it, and nowhere else
                    out.println(password.reveal());
                }
            }
        });
    }

    @Descriptor("add a credential; its password is typed twice without echo, or read from standard input")
    public void add(CommandSession session,
            @Descriptor("the environment id") String environment,
            @Descriptor("the credential id") String id,
            @Descriptor("the user") String user) {
        run(session, out -> {
            try (Secret password = readPassword(session, "Password of '" + id + "' in '" + environment + "': ")) {
                repository.create(environment, id, user, password);
            }
        });
    }

    @Descriptor("replace the user and password of a credential")
    public void update(CommandSession session,
            @Descriptor("the environment id") String environment,
            @Descriptor("the credential id") String id,
            @Descriptor("the user") String user) {
        run(session, out -> {
            if (!repository.contains(environment, id)) {
                throw new Failure(1, "credentials: no credential '" + id + "' in environment '" + environment + "'");
            }
            try (Secret password = readPassword(session, "New password of '" + id + "' in '" + environment + "': ")) {
                repository.update(environment, id, user, password);
            }
        });
    }

    @Descriptor("delete a credential (exit status 1 if there is none)")
    public void delete(CommandSession session,
            @Descriptor("the environment id") String environment,
            @Descriptor("the credential id") String id) {
        run(session, out -> {
            if (!repository.delete(environment, id)) {
                throw new Failure(1, "credentials: no credential '" + id + "' in environment '" + environment + "'");
            }
        });
    }

    @Descriptor("create an environment without credentials")
    public void envAdd(CommandSession session,
            @Descriptor("the environment id") String environment,
            @Descriptor("its description, the words joined by spaces") String... description) {
        run(session, out -> repository.createEnvironment(environment, String.join(" ", description)));
    }

    @Descriptor("delete an environment with its credentials (exit status 1 if there is none)")
    public void envDelete(CommandSession session, @Descriptor("the environment id") String environment) {
        run(session, out -> {
            if (!repository.deleteEnvironment(environment)) {
                throw new Failure(1, "credentials: no environment '" + environment + "'");
            }
        });
    }

    @Descriptor("read credentials.xml again (the master password is not read again); clear-text passwords are encrypted")
    public void refresh(CommandSession session) {
        run(session, out -> {
            repository.refresh();
            out.println("Read " + repository.file() + ": " + repository.environments().size() + " environments");
        });
    }

    @Descriptor("encrypt every password under a new random master password and replace the master password file")
    public void rekey(CommandSession session) {
        run(session, out -> {
            repository.rekey();
            int count = repository.environments().stream().mapToInt(e -> e.users().size()).sum();
            out.println("Re-encrypted " + count + " passwords of " + repository.file() + " under a new master password");
        });
    }

    @Descriptor("encrypt a secret typed without echo (or read from standard input) with the master password;"
            + " prints an encrypted: value for credentials.xml, or ENC(...) for *.properties and *.cfg")
    public void encrypt(CommandSession session,
            @Descriptor("print ENC(...) for a properties or Karaf .cfg file")
            @Parameter(names = {"-e", "--enc"}, presentValue = "true", absentValue = "false") boolean enc) {
        run(session, out -> {
            try (Secret value = readPassword(session, "Value to encrypt: ")) {
                String ciphertext = repository.encrypt(value);
                out.println(enc ? "ENC(" + ciphertext + ")" : "encrypted:" + ciphertext);
            }
        });
    }

    private static Secret readPassword(CommandSession session, String prompt) throws IOException, Failure {
        SecretInput input = new SecretInput(session);
        char[] first = input.read(prompt);
        try {
            if (input.interactive()) {
                char[] second = input.read("Repeat: ");
                boolean same = Arrays.equals(first, second);
                Arrays.fill(second, '\0');
                if (!same) {
                    throw new Failure(1, "credentials: the values do not match; nothing was changed");
                }
            }
            return Secret.of(first);
        } finally {
            Arrays.fill(first, '\0');
        }
    }
}
