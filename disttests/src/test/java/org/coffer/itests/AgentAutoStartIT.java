package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/**
 * The agent a command starts when none runs: one for commands that come at once, a new
 * one after a killed one, one per state folder, gone after its idle time, and handing
 * over to an explicit {@code run}. Every agent a test starts is stopped after it
 * ({@link Distribution#stopAgents}).
 */
public class AgentAutoStartIT {

    @Rule
    public final Distribution dist = new Distribution();

    /** The distribution's environment with auto-start on, as a user has it. */
    private Map<String, String> env() {
        Map<String, String> env = dist.env();
        env.remove(Distribution.NO_AUTOSTART);
        return env;
    }

    private Processes.Result coffer(Map<String, String> env, String stdin, String... args) {
        return Processes.run(dist.command(args), env, stdin);
    }

    private void pinPlaintext() throws Exception {
        // the plaintext keyring: no password, so that the agent's start is all that is measured
        assertEquals(0, dist.coffer(null, "keyring:use", "plaintext").exit);
        assertEquals(0, dist.coffer("v\n", "keyring:set", "svc", "bob").exit);
    }

    private long agentPid(Map<String, String> env) {
        return dist.agentPid(env);
    }

    private Path log() {
        return dist.state.resolve("agent.log");
    }

    @Test
    public void fourCommandsAtOnceStartOneAgentAndAreServedByIt() throws Exception {
        pinPlaintext();
        Map<String, String> env = env();
        // on Java 25, the current LTS, where the machine has it: the agent a command starts runs there
        Distribution.java25().ifPresent(jdk -> env.put("JAVA_HOME", jdk.toString()));
        for (Processes.Result result : AgentIT.parallel(4, 4, i -> coffer(env, null, "keyring:get", "svc", "bob"))) {
            assertEquals(result.stderr, 0, result.exit);
            assertEquals("v\n", result.stdout);
        }
        long pid = agentPid(env);
        String log = Files.readString(log());
        assertEquals(log, 1, log.split("started on demand by", -1).length - 1);
        // served by the agent from now on: a command there starts no JVM (AgentIT), and the pid stays
        assertEquals("v\n", coffer(env, null, "keyring:get", "svc", "bob").stdout);
        assertEquals(pid, agentPid(env));
        ProcessHandle.Info agent = ProcessHandle.of(pid).orElseThrow().info();
        assertTrue(agent.commandLine().orElse(""), agent.commandLine().orElse("").contains("--on-demand"));
        Distribution.java25().ifPresent(jdk -> assertTrue(agent.command().orElse(""),
                agent.command().orElse("").startsWith(jdk.toString())));
    }

    @Test
    public void aKilledAgentIsReplacedByTheNextCommand() throws Exception {
        pinPlaintext();
        Map<String, String> env = env();
        assertEquals("v\n", coffer(env, null, "keyring:get", "svc", "bob").stdout);
        long first = agentPid(env);
        ProcessHandle agent = ProcessHandle.of(first).orElseThrow();
        agent.destroyForcibly();
        agent.onExit().get(30, TimeUnit.SECONDS);
        // its socket stays behind; the next command starts a new agent and is served
        Processes.Result next = coffer(env, null, "keyring:get", "svc", "bob");
        assertEquals(next.stderr, "v\n", next.stdout);
        assertNotEquals(first, agentPid(env));
    }

    @Test
    public void anAgentStartedForOneStateFolderNeverServesAnother() throws Exception {
        pinPlaintext();
        Map<String, String> env = env();
        assertEquals("v\n", coffer(env, null, "keyring:get", "svc", "bob").stdout);
        Map<String, String> other = new HashMap<>(env);
        other.put("COFFER_STATE", dist.state + "-other");
        other.put("XDG_DATA_HOME", dist.dataHome + "-other");
        Processes.Result there = coffer(other, null, "keyring:backends");
        assertEquals(there.stderr, 0, there.exit);
        long mine = agentPid(env);
        long theirs = agentPid(other);
        assertNotEquals(mine, theirs);
        assertTrue(coffer(other, null, "agent", "status").stdout.contains("state folder " + dist.state + "-other"));
        assertTrue(coffer(env, null, "agent", "status").stdout.contains("also running: pid " + theirs));
    }

    @Test
    public void anIdleAgentStopsAndTheNextCommandStartsAnother() throws Exception {
        pinPlaintext();
        Path etc = Files.createDirectories(dist.configHome.resolve("coffer/etc"));
        Files.writeString(etc.resolve("agent.properties"), "idle = 3s\ncache = 1s\n");
        Map<String, String> env = env();
        assertEquals("v\n", coffer(env, null, "keyring:get", "svc", "bob").stdout);
        ProcessHandle agent = ProcessHandle.of(agentPid(env)).orElseThrow();
        long start = System.nanoTime();
        agent.onExit().get(60, TimeUnit.SECONDS);
        long gone = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String log = Files.readString(log());
        assertTrue(log, log.contains("1 s without a command: locking the keyring files"));
        assertTrue(log, log.contains("3 s without a command: stopping"));
        System.out.println("the agent stopped " + gone + " ms after its last command (idle = 3s)");
        assertEquals(3, coffer(env, null, "agent", "status").exit);
        assertEquals("v\n", coffer(env, null, "keyring:get", "svc", "bob").stdout);
        assertNotEquals(agent.pid(), agentPid(env));
    }

    @Test
    public void runReplacesTheAgentACommandStartedAndNoAutoStartTurnsItOff() throws Exception {
        pinPlaintext();
        Map<String, String> off = dist.env();
        assertEquals("v\n", coffer(off, null, "keyring:get", "svc", "bob").stdout);
        assertEquals("COFFER_NO_AUTOSTART=1 starts none", 3, coffer(off, null, "agent", "status").exit);
        Map<String, String> env = env();
        assertEquals("v\n", coffer(env, null, "--no-agent", "keyring:get", "svc", "bob").stdout);
        assertEquals("--no-agent starts none", 3, coffer(env, null, "agent", "status").exit);
        assertEquals("v\n", coffer(env, null, "keyring:get", "svc", "bob").stdout);
        long started = agentPid(env);
        // with plaintext pinned nothing needs a password: run starts without one, from /dev/null
        ProcessBuilder builder = new ProcessBuilder(dist.command("run"));
        builder.environment().putAll(env);
        Process run = builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            List<String> said = Distribution.awaitLine(run.getErrorStream(), "coffer: running");
            assertTrue(said.toString(), said.get(0).contains("the agent a command started (pid " + started
                    + ") hands over to this one"));
            assertTrue(said.toString(), said.stream().anyMatch(l -> l.startsWith("Locked: cryptfile")));
            java.util.Optional<ProcessHandle> replaced = ProcessHandle.of(started);
            if (replaced.isPresent()) {
                replaced.get().onExit().get(30, TimeUnit.SECONDS);
            }
            assertEquals(run.pid(), agentPid(env));
            assertEquals("v\n", coffer(env, null, "keyring:get", "svc", "bob").stdout);
        } finally {
            run.destroy();
            run.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
