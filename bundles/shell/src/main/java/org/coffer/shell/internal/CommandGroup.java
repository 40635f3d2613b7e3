package org.coffer.shell.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A family of commands registered one service per command, each a view of the
 * component that knows its own name. The shells of Felix, Equinox and Karaf call a
 * {@link Function} with the words as typed, so {@link Invocation} binds them and every
 * container shows Coffer's own usage and errors. The views keep the annotated methods,
 * so Felix's {@code help} lists and describes them as before.
 */
abstract class CommandGroup implements Function {

    private final String scope;
    private final String[] functions;
    private final Invocation invocation;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /** The component itself: it registers a view per function and runs no command. */
    CommandGroup(String scope, String... functions) {
        this.scope = scope;
        this.functions = functions.clone();
        this.invocation = null;
    }

    /** A view that runs the command {@code function}. */
    CommandGroup(CommandGroup component, String function) {
        this.scope = component.scope;
        this.functions = new String[0];
        this.invocation = new Invocation(getClass(), scope, function);
    }

    /** @return a view of this component that runs the command {@code function} */
    abstract CommandGroup named(String function);

    /**
     * Registers one command service per function. SCR calls it by its default name as the
     * component activates, after the constructor took the references.
     */
    final void activate(BundleContext context) {
        for (String function : functions) {
            CommandGroup view = named(function);
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("osgi.command.scope", scope);
            properties.put("osgi.command.function", function);
            properties.put("osgi.command.description", view.invocation.description());
            registrations.add(context.registerService(getClass().getName(), view, properties));
        }
    }

    /** Withdraws the command services; SCR calls it by its default name. */
    final void deactivate() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        registrations.clear();
    }

    @Override
    public final Object execute(CommandSession session, List<Object> arguments) throws Exception {
        if (invocation == null) {
            throw new IllegalStateException("the " + scope + " component runs no command itself");
        }
        return invocation.execute(this, session, arguments);
    }
}
