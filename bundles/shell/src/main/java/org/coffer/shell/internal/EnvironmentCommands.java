package org.coffer.shell.internal;

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

    /** {@code credentials:env-add ENV [DESCRIPTION...]}. */
    @Component(service = Add.class, property = {"osgi.command.scope=credentials", "osgi.command.function=env-add"})
    public static final class Add {
        private final CredentialsCommands commands;

        @Activate
        public Add(@Reference CredentialRepository repository) {
            this.commands = new CredentialsCommands(repository);
        }

        @Descriptor("create an environment without credentials")
        public void _main(CommandSession session,
                @Descriptor("the environment id") String environment,
                @Descriptor("its description") String... description) {
            commands.envAdd(session, environment, String.join(" ", description));
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

        @Descriptor("delete an environment with its credentials (exit status 1 if there is none)")
        public void _main(CommandSession session, @Descriptor("the environment id") String environment) {
            commands.envDelete(session, environment);
        }
    }
}
