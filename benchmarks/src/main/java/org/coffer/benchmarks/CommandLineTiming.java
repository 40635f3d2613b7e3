package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;

/**
 * Whole-process timing of a one-shot {@code get}, side by side in one run: Python's
 * {@code python3 -m keyring get}, {@code bin/coffer keyring:get} through the agent, and
 * {@code bin/coffer --no-agent keyring:get}, alternating, on the same plaintext file,
 * then on a private gnome-keyring through the Secret Service (a process start is what is
 * measured, so JMH's in-process loop does not apply).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.coffer.benchmarks.CommandLineTiming distribution/target/coffer [runs]</pre>
 */
public final class CommandLineTiming {

    private CommandLineTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path install = Path.of(args.length > 0 ? args[0] : "distribution/target/coffer").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, String> env = ScratchUser.environment("timing", "timing");
        env.put("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        compare("plaintext file", install, runs, env);
        try (SecretServiceDaemon daemon = SecretServiceDaemon.start(
                java.nio.file.Files.createTempDirectory("coffer-timing-secretservice"), "timing")) {
            Map<String, String> desktop = ScratchUser.environment("timing-desktop", "timing");
            desktop.putAll(daemon.environment());
            desktop.put("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring");
            compare("gnome-keyring", install, runs, desktop);
        }
    }

    private static void compare(String what, Path install, int runs, Map<String, String> env) throws Exception {
        String coffer = install.resolve("bin/coffer").toString();
        run(env, "value\n", coffer, "--no-agent", "keyring:set", "svc", "bob");
        List<Long> python = new ArrayList<>();
        List<Long> inProcess = new ArrayList<>();
        List<Long> agent = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            python.add(run(env, null, "/usr/bin/python3", "-m", "keyring", "get", "svc", "bob"));
            inProcess.add(run(env, null, coffer, "--no-agent", "keyring:get", "svc", "bob"));
        }
        // no agent beforehand: the first command starts one, the others are served by it
        for (int i = 0; i < runs; i++) {
            started.add(run(env, null, coffer, "keyring:get", "svc", "bob"));
            python.add(run(env, null, "/usr/bin/python3", "-m", "keyring", "get", "svc", "bob"));
        }
        run(env, null, coffer, "agent", "stop");
        ProcessBuilder service = new ProcessBuilder(coffer, "run");
        service.environment().putAll(env);
        service.redirectErrorStream(true);
        Process running = service.start();
        try (var in = running.getOutputStream()) {
            in.write("timing\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            for (int tries = 0; run(env, null, coffer, "agent", "status") < 0; tries++) {
                if (tries > 300 || !running.isAlive()) {
                    throw new IllegalStateException("the agent did not start: " + new String(running.getInputStream().readAllBytes()));
                }
                Thread.sleep(100); // polling: the agent has no other sign of readiness for a script
            }
            for (int i = 0; i < runs; i++) {
                python.add(run(env, null, "/usr/bin/python3", "-m", "keyring", "get", "svc", "bob"));
                agent.add(run(env, null, coffer, "keyring:get", "svc", "bob"));
            }
        } finally {
            run(env, null, coffer, "agent", "stop");
            running.waitFor();
        }
        long py = median(python);
        System.out.printf("%s, %d runs each, alternating%n", what, runs);
        System.out.printf("python3 -m keyring get          median %4d ms%n", py);
        System.out.printf("bin/coffer keyring:get (agent)  median %4d ms  ratio %.2f%n", median(agent), median(agent) / (double) py);
        System.out.printf("bin/coffer --no-agent           median %4d ms  ratio %.2f%n", median(inProcess),
                median(inProcess) / (double) py);
        long rest = median(started.subList(1, started.size()));
        System.out.printf("bin/coffer keyring:get, no agent beforehand: the first %d ms (it starts the agent), the median"
                + " of the other %d %d ms  ratio %.2f%n", started.get(0), started.size() - 1, rest, rest / (double) py);
    }

    /** @return the wall time in milliseconds, or -1 if the command failed */
    private static long run(Map<String, String> env, String stdin, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        int exit = process.waitFor();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return exit == 0 ? millis : -1;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
