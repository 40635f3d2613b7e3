package org.coffer.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.coffer.AppConfiguration;
import org.coffer.BackendInfo;
import org.coffer.CredentialProvider;
import org.coffer.Diagnosis;
import org.coffer.KeyringAdmin;
import org.coffer.Secret;
import org.coffer.shell.internal.Commands.Body;
import org.coffer.shell.internal.Commands.Failure;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code keyring} commands of the Gogo shell, after Python keyring's command line.
 * Each sets the session variable {@value #STATUS} to its exit status: 0 done, 1 not
 * found or failed, 2 wrong usage.
 */
@Component(service = {})
public final class KeyringCommands extends CommandGroup {

    /** The session variable that holds the last command's exit status. */
    public static final String STATUS = "coffer.status";

    private static final String[] FUNCTIONS = {
        "backends", "get", "set", "delete", "del", "use", "unlock", "migrate", "lock", "repair", "diagnose",
        "audit"
    };

    private final KeyringCommands component;
    private final CredentialProvider provider;
    private final KeyringAdmin admin;
    private final KeyringUnlock unlock;
    private final KeyringFiles files;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AppConfiguration appConfiguration;

    @Activate
    public KeyringCommands(@Reference CredentialProvider provider, @Reference KeyringAdmin admin) {
        super("keyring", FUNCTIONS);
        this.component = this;
        this.provider = provider;
        this.admin = admin;
        this.unlock = new KeyringUnlock(admin);
        this.files = new KeyringFiles(admin, unlock);
    }

    private KeyringCommands(KeyringCommands component, String function) {
        super(component, function);
        this.component = component;
        this.provider = component.provider;
        this.admin = component.admin;
        this.unlock = component.unlock;
        this.files = component.files;
    }

    @Override
    KeyringCommands named(String function) {
        return new KeyringCommands(this, function);
    }

    /** Runs a command that may meet a locked keyring: see {@link KeyringUnlock#retry}. */
    private void runUnlocking(CommandSession session, Body body) {
        run(session, out -> unlock.retry(session, out, body));
    }

    private static void run(CommandSession session, Body body) {
        Commands.run(session, "keyring", body);
    }

    @Descriptor("list the keyring backends, highest ranking first; * marks the active one")
    public void backends(CommandSession session,
            @Descriptor("also the installed backends that cannot work here, with the reason")
            @Parameter(names = {"-a", "--all"}, presentValue = "true", absentValue = "false") boolean all,
            @Descriptor("print JSON")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        run(session, out -> {
            Listings.backends(out, all ? admin.allBackends() : admin.backends(), json);
        });
    }

    @Descriptor("print the secret stored for a service and username (exit status 1 if there is none)")
    public void get(CommandSession session,
            @Descriptor("print JSON with service, username and password")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the service") String service,
            @Descriptor("the username") String username) {
        runUnlocking(session, out -> {
            Optional<Secret> secret = provider.get(service, username);
            if (secret.isEmpty()) {
                throw new Failure(1, "keyring: no password for '" + username + "' in '" + service + "'");
            }
            try (Secret value = secret.get()) {
                // the user asked to see the value: print it, and nowhere else
                if (json) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("service", service);
                    item.put("username", username);
                    item.put("password", value.reveal());
                    out.println(Json.write(item));
                } else {
                    out.println(value.reveal());
                }
            }
        });
    }

    @Descriptor("store a secret, typed twice without echo, or read from standard input when it is not a terminal")
    public void set(CommandSession session,
            @Descriptor("store an empty secret (refused otherwise: an empty pipe or a lone newline is a mistake)")
            @Parameter(names = {"--allow-empty"}, presentValue = "true", absentValue = "false") boolean allowEmpty,
            @Descriptor("the service") String service,
            @Descriptor("the username") String username) {
        run(session, out -> {
            // the value first, then, if a keyring is locked, its password: Python's order, each asked once
            SecretInput input = new SecretInput(session);
            char[] first = input.read("Password for '" + username + "' in '" + service + "': ");
            try {
                if (input.interactive()) {
                    char[] second = input.read("Repeat the password: ");
                    boolean same = Arrays.equals(first, second);
                    Arrays.fill(second, '\0');
                    if (!same) {
                        throw new Failure(1, "keyring: the passwords do not match; nothing was stored");
                    }
                }
                if (first.length == 0 && !allowEmpty) {
                    throw new Failure(1, "keyring: the secret for '" + username + "' in '" + service + "' is empty"
                            + (input.interactive() ? "" : " (standard input held nothing, or only a newline)")
                            + "; nothing was stored. Give --allow-empty to store an empty secret.");
                }
                try (Secret secret = Secret.of(first)) {
                    unlock.retry(session, out, o -> provider.set(service, username, secret));
                }
            } finally {
                Arrays.fill(first, '\0');
            }
        });
    }

    @Descriptor("delete the secret of a service and username (exit status 1 if there is none)")
    public void delete(CommandSession session,
            @Descriptor("the service") String service,
            @Descriptor("the username") String username) {
        runUnlocking(session, out -> {
            if (!provider.delete(service, username)) {
                throw new Failure(1, "keyring: no password for '" + username + "' in '" + service + "'");
            }
        });
    }

    @Descriptor("delete the secret of a service and username, as Python's 'keyring del'")
    public void del(CommandSession session, String service, String username) {
        delete(session, service, username);
    }

    @Descriptor("pin the backend that receives writes (the pin survives a restart), or --auto to remove the pin")
    public void use(CommandSession session,
            @Descriptor("a backend name from keyring:backends") String name) {
        run(session, out -> {
            admin.use(name);
            out.println("Secrets are now stored with '" + name + "'");
        });
    }

    @Descriptor("pin the backend that receives writes (the pin survives a restart), or --auto to remove the pin")
    public void use(CommandSession session,
            @Descriptor("the highest-ranked backend receives writes")
            @Parameter(names = {"-a", "--auto"}, presentValue = "true", absentValue = "false") boolean auto) {
        run(session, out -> {
            if (!auto) {
                throw new IllegalArgumentException("use takes a backend name, or --auto");
            }
            admin.useAutomatic();
            Optional<BackendInfo> active = admin.backends().stream().filter(BackendInfo::active).findFirst();
            out.println("Secrets are stored with the highest-ranked backend"
                    + active.map(b -> " (now '" + b.name() + "')").orElse(""));
        });
    }

    @Descriptor("unlock the locked keyring files (or the named backends) with a password typed without echo,"
            + " or the first line of standard input when it is not a terminal")
    public void unlock(CommandSession session,
            @Descriptor("also keep the keyring files' password in the kernel keyring (keyctl) for DURATION (30s, 15m,"
                    + " 2h or seconds), under their password.service and password.username")
            @Parameter(names = {"--cache"}, absentValue = "") String duration,
            @Descriptor("only when the keyring in use needs it: the pinned backend, or the highest-ranked one with a"
                    + " keyring on disk; else say which stay locked")
            @Parameter(names = {"--if-needed"}, presentValue = "true", absentValue = "false") boolean ifNeeded,
            @Descriptor("backend names; none for the locked keyring files") String... names) {
        run(session, out -> {
            java.time.Duration cache = duration.isEmpty() ? null : CacheDuration.parse(duration);
            if (!ifNeeded || files.needed()) {
                unlock.unlock(session, List.of(names), null, cache);
            } else {
                files.unlockIfGiven(session);
                files.sayLocked();
            }
        });
    }

    @Descriptor("copy every entry of one backend into another and verify each copy; with --delete, then remove the originals")
    public void migrate(CommandSession session,
            @Descriptor("delete the originals once every copy is verified")
            @Parameter(names = {"-d", "--delete"}, presentValue = "true", absentValue = "false") boolean delete,
            @Descriptor("the backend to copy from") String from,
            @Descriptor("the backend to copy to") String to) {
        runUnlocking(session, out -> {
            List<org.coffer.KeyringEntry> moved = admin.migrate(from, to, delete);
            out.println((delete ? "Moved " : "Copied ") + moved.size() + " entries from '" + from + "' to '" + to
                    + "', every copy verified");
        });
    }

    @Descriptor("lock the unlocked keyrings (or the named ones): they forget their keys")
    public void lock(CommandSession session,
            @Descriptor("only the keyring files (the backends that take the user's keyring password)")
            @Parameter(names = {"--files"}, presentValue = "true", absentValue = "false") boolean files,
            @Descriptor("backend names; none for every backend") String... names) {
        run(session, out -> this.files.lock(out, List.of(names), files));
    }

    @Descriptor("rebuild a backend's torn or damaged keyring file from the entries that can be read, after keeping a"
            + " copy of it as <file>.damaged-<time> (mode 0600); a whole file is left as it is")
    public void repair(CommandSession session, @Descriptor("the backend whose file to rebuild") String backend) {
        run(session, out -> out.println(admin.repair(backend)));
    }

    @Descriptor("show the recent audit events: which bundle read, wrote, unlocked, pinned or was refused what")
    public void audit(CommandSession session,
            @Descriptor("keep showing new events until interrupted (Ctrl-C)")
            @Parameter(names = {"-f", "--follow"}, presentValue = "true", absentValue = "false") boolean follow) {
        run(session, out -> {
            long last = 0;
            do {
                for (org.coffer.AuditEvent event : admin.audit(last)) {
                    out.println(event);
                    last = event.sequence();
                }
                out.flush();
            } while (follow && pause());
        });
    }

    /** The poll interval of {@code keyring:audit --follow}; false once the command is interrupted. */
    private static boolean pause() {
        try {
            Thread.sleep(250);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Descriptor("show paths, the active backend and warnings")
    public void diagnose(CommandSession session,
            @Descriptor("print JSON")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        run(session, out -> {
            List<Diagnosis> all = new ArrayList<>(admin.diagnose());
            AppConfiguration app = component.appConfiguration;
            if (app != null) {
                Diagnosis.Builder diagnosis = Diagnosis.of("app.config")
                        .detail("file", app.file().map(Object::toString).orElse("none found"));
                app.lastError().ifPresent(diagnosis::warning);
                all.add(diagnosis.build());
            }
            Listings.diagnoses(out, all, json);
        });
    }
}
