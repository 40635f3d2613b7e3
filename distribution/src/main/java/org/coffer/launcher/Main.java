package org.coffer.launcher;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.coffer.client.AgentSettings;
import org.coffer.client.AgentSocket;
import org.coffer.client.CommandLine;
import org.coffer.client.Places;
import org.coffer.client.Wire;

/**
 * Starts Coffer in this process, on the user's own state: Felix with the bundles of
 * {@code bundle/} and FileInstall watching {@code deploy/}. Without arguments it opens
 * the Gogo shell; with {@code run} it runs as a service until stopped; with a command or
 * {@code -c SCRIPT} it runs them and exits with their status. The shell and the service
 * are the user's agent: they serve the commands of {@code bin/coffer} ({@link Agent}).
 *
 * <p>Before the shell opens, and when a service starts, locked keyrings are unlocked with
 * {@code keyring:unlock}: a hidden prompt on a terminal, else the first line of standard
 * input ({@code echo $PASSWORD | bin/coffer run}).
 */
public final class Main {

    // the process's own streams: Gogo replaces System.out and System.err with per-thread redirections
    private static final InputStream STDIN = new FileInputStream(FileDescriptor.in);
    private static final PrintStream STDOUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    private static final PrintStream STDERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    private static final List<String> UNLOCK = List.of("keyring:unlock");
    /** A service unlocks what the keyrings in use need, and leaves the rest locked. */
    private static final List<String> UNLOCK_NEEDED = List.of("keyring:unlock", "--if-needed");

    private final Path install;
    private final Places places = new Places(System.getenv());
    private final String fingerprint;

    private Main(String install) {
        this.install = Path.of(install).toAbsolutePath().normalize();
        this.fingerprint = Wire.fingerprint(install, System.getenv());
    }

    public static void main(String[] args) {
        Timing.START.mark("launcher loaded");
        int status;
        try {
            String install = System.getProperty("coffer.install");
            if (install == null) {
                STDERR.println("coffer: start Coffer with bin/coffer (the system property coffer.install is not set)");
                status = 2;
            } else {
                status = new Main(install).run(CommandLine.parse(args, CommandLine.stdinTerminal()));
            }
        } catch (Throwable e) {
            if (Boolean.getBoolean("coffer.debug")) {
                e.printStackTrace(STDERR);
            }
            STDERR.println("coffer: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            status = 1;
        }
        Timing.START.report(STDERR);
        // no thread of a framework that failed to start keeps the process alive
        System.exit(status);
    }

    /** Runs what {@link org.coffer.client.Client} leaves to this process; it answers the rest itself. */
    private int run(CommandLine line) throws Exception {
        boolean longLived = line.kind == CommandLine.Kind.SHELL || line.kind == CommandLine.Kind.SERVICE;
        // the agent a command started serves commands, not an app.config: Resilient Circuits may still start
        if (longLived && !line.onDemand && !AppLock.acquire(System.getenv(), STDERR)) {
            return 1;
        }
        boolean service = line.kind == CommandLine.Kind.SERVICE;
        AgentSeat seat = longLived ? AgentSeat.take(places, line.onDemand, service && !line.onDemand, STDERR)
                : AgentSeat.NONE;
        if (service && line.onDemand && (seat.takenBy != null || seat.problem != null)) {
            STDERR.println("coffer: not starting: " + (seat.problem != null ? seat.problem : "an agent serves already ("
                    + seat.takenBy + ")"));
            return seat.problem != null ? 1 : 0;
        }
        if (service && seat.takenBy != null) {
            STDERR.println("coffer: another Coffer serves " + places.state() + " already (" + seat.takenBy
                    + "); this one stops. Stop that one with: coffer agent stop");
            return 1;
        }
        try (seat; CofferFramework coffer = CofferFramework.start(install, places, STDERR, longLived, line.web,
                line.secretService)) {
            Gogo gogo = coffer.gogo();
            Gogo.Caller caller = new Gogo.Caller(STDIN, STDOUT, STDERR, System.getenv(),
                    Path.of("").toAbsolutePath().toString(), terminalPrompt());
            Timing.START.mark("Gogo");
            switch (line.kind) {
                case COMMAND:
                    try {
                        return gogo.command(line.words, caller);
                    } finally {
                        Timing.START.mark("the command");
                    }
                case SCRIPT:
                    return gogo.script(line.words.get(0), caller);
                case SHELL:
                    return shell(coffer, gogo, caller, seat);
                case SERVICE:
                    return service(coffer, gogo, caller, seat, line.onDemand);
                default:
                    throw new IllegalArgumentException("start Coffer with bin/coffer, which answers '"
                            + String.join(" ", line.words) + "' (" + line.kind + ") itself");
            }
        }
    }

    /** The interactive shell, which serves as the agent while it is open. */
    private int shell(CofferFramework coffer, Gogo gogo, Gogo.Caller caller, AgentSeat seat) throws Exception {
        coffer.watchEtc(STDERR);
        if (caller.prompt != null) {
            gogo.command(UNLOCK, caller);
        }
        try (Agent agent = startAgent(coffer, gogo, seat)) {
            coffer.startShell();
            coffer.framework.waitForStop(0);
        }
        return 0;
    }

    /** Unlocks the keyrings from the terminal or standard input, then serves as the agent until stopped. */
    private int service(CofferFramework coffer, Gogo gogo, Gogo.Caller caller, AgentSeat seat, boolean onDemand)
            throws Exception {
        coffer.watchEtc(STDERR);
        int unlocked = onDemand ? 0 : gogo.command(UNLOCK_NEEDED, caller);
        if (unlocked != 0) {
            STDERR.println("coffer: a keyring could not be unlocked; stopping");
            return unlocked;
        }
        try (Agent agent = startAgent(coffer, gogo, seat)) {
            if (onDemand && agent == null) {
                return 1; // it said why; an agent a command started that serves nothing has no reason to run
            }
            if (onDemand) {
                agent.watch(idleWatch(coffer, gogo));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (coffer; agent) {
                    // SIGTERM: the socket goes first, so no client reaches a stopping framework
                } catch (Exception e) {
                    STDERR.println("coffer: stopping failed: " + e.getMessage());
                }
            }, "coffer-shutdown"));
            STDERR.println("coffer: running" + (agent != null ? ", serving " + agent.socket() : "")
                    + "; stop with SIGTERM (systemctl stop) or coffer agent stop");
            coffer.framework.waitForStop(0);
        }
        return 0;
    }

    /** The agent a command started locks the keyring files, then stops, when idle ({@link AgentSettings}). */
    private IdleWatch idleWatch(CofferFramework coffer, Gogo gogo) {
        AgentSettings settings = AgentSettings.read(install, places, System.getenv());
        STDERR.println("coffer: started on demand; it locks the keyring files after " + settings.cache.toSeconds()
                + " s and stops after " + settings.idle.toSeconds() + " s without a command (0: never; "
                + AgentSettings.FILE + " of etc/)");
        Gogo.Caller log = new Gogo.Caller(InputStream.nullInputStream(), STDERR, STDERR, System.getenv(),
                Path.of("").toAbsolutePath().toString(), null);
        return new IdleWatch(settings.idle, settings.cache, () -> {
            try {
                STDERR.println("coffer: " + settings.cache.toSeconds() + " s without a command: locking the keyring files");
                gogo.command(List.of("keyring:lock", "--files"), log);
            } catch (Exception e) {
                STDERR.println("coffer: locking failed: " + e.getMessage());
            }
        }, () -> {
            STDERR.println("coffer: " + settings.idle.toSeconds() + " s without a command: stopping");
            try {
                coffer.framework.stop();
            } catch (Exception e) {
                STDERR.println("coffer: stopping failed: " + e.getMessage());
            }
        });
    }

    private Agent startAgent(CofferFramework coffer, Gogo gogo, AgentSeat seat) {
        String noSockets = AgentSocket.unavailable();
        if (noSockets != null) {
            STDERR.println("coffer: not serving other commands: " + noSockets);
            return null;
        }
        if (seat.problem != null) {
            STDERR.println("coffer: not serving other commands: " + seat.problem);
            return null;
        }
        if (seat.takenBy != null) {
            STDERR.println("coffer: another Coffer serves this user's commands already (" + seat.takenBy
                    + "); this one does not");
            return null;
        }
        try {
            return Agent.start(places, seat.hand(), gogo, fingerprint, () -> {
                try {
                    coffer.framework.stop();
                } catch (Exception e) {
                    STDERR.println("coffer: stopping failed: " + e.getMessage());
                }
            });
        } catch (Exception e) {
            STDERR.println("coffer: not serving other commands: " + e.getMessage());
            return null;
        }
    }

    /** A person at this terminal is asked for secrets without echo. */
    private static Function<String, char[]> terminalPrompt() {
        Console console = System.console();
        return console == null ? null : text -> console.readPassword("%s", text);
    }
}
