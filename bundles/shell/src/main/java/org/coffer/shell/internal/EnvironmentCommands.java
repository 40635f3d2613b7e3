package org.coffer.shell.internal;

import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.coffer.CredentialRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code credentials:env-add} and {@code credentials:env-delete}. Gogo finds a method by
 * the command's name, which cannot contain a hyphen in Java, or else calls
 * {@code _main}: hence one small component per command.
 */
public final class EnvironmentCommands {

    private EnvironmentCommands() {
    }

    /** Gogo passes {@code _main} the command name first. */
    static List<String> operands(String... args) {
        return args.length == 0 ? List.of() : List.of(args).subList(1, args.length);
    }

    static void usage(CommandSession session, String usage) {
        System.err.println("usage: " + usage);
        session.put(KeyringCommands.STATUS, 2);
    }

    /** {@code credentials:env-add ENV [DESCRIPTION...]}. */
    @Component(service = Add.class, property = {"osgi.command.scope=credentials", "osgi.command.function=env-add"})
    public static final class Add {
        private final CredentialsCommands commands;

        @Activate
        public Add(@Reference CredentialRepository repository) {
            this.commands = new CredentialsCommands(repository);
        }

        @Descriptor("create an environment without credentials: env-add ENV [DESCRIPTION...]")
        public void _main(CommandSession session, String... args) {
            List<String> operands = operands(args);
            if (operands.isEmpty()) {
                usage(session, "credentials:env-add ENV [DESCRIPTION...]");
                return;
            }
            commands.envAdd(session, operands.get(0), String.join(" ", operands.subList(1, operands.size())));
        }
    }

    /** {@code credentials:env-delete ENV}. */
    @Component(service = Delete.class, property = {"osgi.command.scope=credentials", "osgi.command.function=env-delete"})
    public static final class Delete {
        private final CredentialsCommands commands;

        @Activate
        public Delete(@Reference CredentialRepository repository) {
            this.commands = new CredentialsCommands(repository);
        }

        @Descriptor("delete an environment with its credentials (exit status 1 if there is none): env-delete ENV")
        public void _main(CommandSession session, String... args) {
            List<String> operands = operands(args);
            if (operands.size() != 1) {
                usage(session, "credentials:env-delete ENV");
                return;
            }
            commands.envDelete(session, operands.get(0));
        }
    }
}
