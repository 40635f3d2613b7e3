package org.coffer.client;

import java.util.Arrays;
import java.util.List;

/** What {@code bin/coffer} was asked to do, from its arguments. */
public final class CommandLine {

    /** What the arguments ask for. */
    public enum Kind {
        /** No arguments at a terminal: the interactive shell. */
        SHELL,
        /** {@code run}: the user's agent, until stopped. */
        SERVICE,
        /** One command and its arguments. */
        COMMAND,
        /** {@code -c SCRIPT}, or no arguments with commands on standard input. */
        SCRIPT,
        /** The script is standard input. */
        SCRIPT_STDIN,
        /** {@code --help}. */
        HELP,
        /** {@code agent status}. */
        AGENT_STATUS,
        /** {@code agent stop}. */
        AGENT_STOP,
        /** Arguments that make no sense: {@link #error} says why. */
        WRONG
    }

    public static final String USAGE = String.join("\n",
            "usage: coffer                      the Gogo shell (commands from standard input when it is not a terminal)",
            "       coffer COMMAND [ARG...]     one command, for example: coffer keyring:get SERVICE USERNAME",
            "       coffer -c 'CMD; CMD'        commands, one after the other",
            "       coffer run                  the user's agent: serves the commands of every coffer started by",
            "                                   this user until stopped; unlocks keyrings from standard input",
            "       coffer agent status|stop    the running agent; a command that finds none starts one, which",
            "                                   exits when idle (etc/agent.properties; COFFER_NO_AUTOSTART=1: never)",
            "       coffer help [COMMAND]       every command, or one command's usage",
            "options:",
            "       --no-agent                  run in this process even when an agent is running, and start none",
            "       --web                       with the shell or run: also serve the Web Console on",
            "                                   http://127.0.0.1:8181/system/console/coffer (user admin)",
            "       --secret-service            with run: also serve the Secret Service (org.freedesktop.secrets)",
            "                                   on the session bus from Coffer's keyrings",
            "       -h, --help                  this text",
            "exit status: 0 done, 1 not found or failed, 2 wrong usage",
            "");

    public final Kind kind;
    /** The command and its arguments, or the script. */
    public final List<String> words;
    public final boolean noAgent;
    /** {@code --web}: the shell or the agent serves the Web Console too. */
    public final boolean web;
    /** {@code --on-demand run}: the agent a command started, which exits when idle. */
    public final boolean onDemand;
    /** {@code --secret-service run}: the agent serves {@code org.freedesktop.secrets} too. */
    public final boolean secretService;
    public final String error;

    private CommandLine(Kind kind, List<String> words, boolean noAgent, String error) {
        this(kind, words, noAgent, false, error);
    }

    private CommandLine(Kind kind, List<String> words, boolean noAgent, boolean web, String error) {
        this(kind, words, noAgent, web, false, error);
    }

    private CommandLine(Kind kind, List<String> words, boolean noAgent, boolean web, boolean onDemand, String error) {
        this(kind, words, noAgent, web, onDemand, false, error);
    }

    private CommandLine(Kind kind, List<String> words, boolean noAgent, boolean web, boolean onDemand,
            boolean secretService, String error) {
        this.secretService = secretService;
        this.kind = kind;
        this.words = words;
        this.noAgent = noAgent;
        this.web = web;
        this.onDemand = onDemand;
        this.error = error;
    }

    /**
     * @return whether standard input is a terminal, as the launcher found it: the
     *         property {@code coffer.stdin.tty}, {@code true} or {@code false} from
     *         {@code bin/coffer}'s test, or {@code console} from {@code bin\coffer.cmd},
     *         which cannot test it: then the JVM's console tells
     */
    public static boolean stdinTerminal() {
        String told = System.getProperty("coffer.stdin.tty", "false");
        return "console".equals(told) ? System.console() != null : Boolean.parseBoolean(told);
    }

    /**
     * @param args the arguments of {@code bin/coffer}
     * @param stdinTerminal whether standard input is a terminal
     * @return what they ask for
     */
    public static CommandLine parse(String[] args, boolean stdinTerminal) {
        int i = 0;
        boolean noAgent = false;
        boolean web = false;
        boolean onDemand = false;
        boolean secretService = false;
        while (i < args.length && args[i].startsWith("-")) {
            switch (args[i]) {
                case "--no-agent":
                    noAgent = true;
                    i++;
                    break;
                case "--web":
                    web = true;
                    i++;
                    break;
                case "--on-demand":
                    onDemand = true;
                    i++;
                    break;
                case "--secret-service":
                    secretService = true;
                    i++;
                    break;
                case "-h":
                case "--help":
                    return new CommandLine(Kind.HELP, List.of(), noAgent, null);
                case "-c":
                    if (i + 2 != args.length) {
                        return wrong("-c takes one argument: the commands, quoted");
                    }
                    return new CommandLine(Kind.SCRIPT, List.of(args[i + 1]), noAgent, null);
                default:
                    return wrong("unknown option " + args[i]);
            }
        }
        List<String> rest = Arrays.asList(args).subList(i, args.length);
        if (secretService && (onDemand || !rest.equals(List.of("run")))) {
            return wrong("--secret-service goes with run: the agent serves the bus while it runs");
        }
        if (onDemand && !rest.equals(List.of("run"))) {
            return wrong("--on-demand goes with run: the agent a command starts");
        }
        if (rest.isEmpty() && stdinTerminal) {
            return new CommandLine(Kind.SHELL, List.of(), noAgent, web, null);
        }
        if (rest.isEmpty() && !web) {
            return new CommandLine(Kind.SCRIPT_STDIN, List.of(), noAgent, null);
        }
        if (rest.equals(List.of("run"))) {
            return new CommandLine(Kind.SERVICE, List.of(), true, web, onDemand, secretService, null);
        }

        if (web) {
            return wrong("--web goes with the shell (no command, at a terminal) or with run");
        }
        if (rest.get(0).equals("agent")) {
            if (rest.equals(List.of("agent", "status"))) {
                return new CommandLine(Kind.AGENT_STATUS, List.of(), false, null);
            }
            if (rest.equals(List.of("agent", "stop"))) {
                return new CommandLine(Kind.AGENT_STOP, List.of(), false, null);
            }
            return wrong("agent takes status or stop");
        }
        return new CommandLine(Kind.COMMAND, List.copyOf(rest), noAgent, null);
    }

    private static CommandLine wrong(String error) {
        return new CommandLine(Kind.WRONG, List.of(), false, error);
    }
}
