package org.coffer.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import org.apache.felix.service.command.CommandSession;
import org.coffer.CofferException;

/**
 * How every Coffer command ends: its output on the session, its message on standard
 * error, its exit status in the session variable {@value KeyringCommands#STATUS}
 * (0 done, 1 not found or failed, 2 wrong usage; the worst of a line's commands). No
 * stack traces.
 */
final class Commands {

    private Commands() {
    }

    /** A failed command: its message goes to standard error, its status to the session. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** The work of one command. */
    interface Body {
        void run(PrintStream out) throws Failure, IOException;
    }

    /**
     * @param session the command's session
     * @param scope the command scope, to prefix messages with
     * @param body the work
     */
    static void run(CommandSession session, String scope, Body body) {
        int status = 0;
        try {
            body.run(session.getConsole());
        } catch (Failure e) {
            status = e.status;
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
        } catch (IllegalArgumentException e) {
            status = 2;
            System.err.println(scope + ": " + e.getMessage());
        } catch (CofferException | IOException e) {
            status = 1;
            System.err.println(scope + ": " + e.getMessage());
        }
        status(session, status);
    }

    /**
     * Records a command's exit status. A line of several commands ({@code a; b}) keeps
     * the worst of them, so a script that runs on after a failure still exits with it;
     * the launcher sets the variable to 0 before each line.
     *
     * @param session the command's session
     * @param status the command's exit status
     */
    static void status(CommandSession session, int status) {
        Object before = session.get(KeyringCommands.STATUS);
        session.put(KeyringCommands.STATUS, before instanceof Integer ? Math.max((Integer) before, status) : status);
    }
}
