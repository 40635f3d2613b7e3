package org.coffer.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;

/**
 * One command in the container's shell, as a person would type it, with its standard
 * input: a Gogo session in Felix and Equinox, a Karaf console session in Karaf (whose
 * commands need the Karaf session around the Gogo one).
 */
final class Shell {

    /** What one command printed and its exit status. */
    static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    private Shell() {
    }

    static Run run(BundleContext context, String stdin, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        Object status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Containers.karaf() ? KarafShell.run(context, in, outStream, errStream, command)
                    : gogo(context, in, outStream, errStream, command);
        }
        return new Run(status instanceof Integer ? (Integer) status : -1, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    private static Object gogo(BundleContext context, InputStream in, PrintStream out, PrintStream err,
            String command) throws Exception {
        CommandProcessor processor = context.getService(context.getServiceReference(CommandProcessor.class));
        try (CommandSession session = processor.createSession(in, out, err)) {
            session.execute(command);
            return session.get("coffer.status");
        }
    }

    /** Loaded only in Karaf, where its classes are. */
    private static final class KarafShell {

        static Object run(BundleContext context, InputStream in, PrintStream out, PrintStream err, String command)
                throws Exception {
            org.apache.karaf.shell.api.console.SessionFactory factory = context.getService(
                    context.getServiceReference(org.apache.karaf.shell.api.console.SessionFactory.class));
            org.apache.karaf.shell.api.console.Session session = factory.create(in, out, err);
            try {
                session.execute(command);
                return session.get("coffer.status");
            } finally {
                session.close();
            }
        }
    }
}
