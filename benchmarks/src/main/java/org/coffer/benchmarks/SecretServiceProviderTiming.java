package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;

/**
 * The same clients against two Secret Services side by side, alternating in one run:
 * gnome-keyring on one private bus, Coffer's agent ({@code bin/coffer --secret-service
 * run}, the plaintext keyring) on another. Measured: Python's
 * {@code keyring.get_password} inside one Python process (each call opens its D-Bus
 * connection and session, as the library does), and whole {@code secret-tool lookup}
 * and {@code python3 -m keyring get} processes (a process start is part of what is
 * measured, so JMH's in-process loop does not apply).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.coffer.benchmarks.SecretServiceProviderTiming distribution/target/coffer [runs]</pre>
 */
public final class SecretServiceProviderTiming {

    private static final String PYTHON = "/usr/bin/python3";
    /** Median milliseconds of N get_password calls in one Python process. */
    private static final String IN_PYTHON = String.join("\n",
            "import keyring, sys, time",
            "times = []",
            "for i in range(int(sys.argv[1])):",
            "    start = time.perf_counter()",
            "    assert keyring.get_password('svc', 'bob') == 'value'",
            "    times.append((time.perf_counter() - start) * 1000)",
            "times.sort()",
            "print('%.2f' % times[len(times) // 2])",
            "");

    private SecretServiceProviderTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path install = Path.of(args.length > 0 ? args[0] : "distribution/target/coffer").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (SecretServiceDaemon gnome = SecretServiceDaemon.start(Files.createTempDirectory("coffer-timing-gnome"),
                "timing"); SecretServiceDaemon bus = SecretServiceDaemon.startBus(
                        Files.createTempDirectory("coffer-timing-coffer"))) {
            Map<String, String> gnomeEnv = python(gnome);
            Map<String, String> cofferEnv = python(bus);
            Map<String, String> agentEnv = ScratchUser.environment("timing-secret-service", "timing");
            agentEnv.put("DBUS_SESSION_BUS_ADDRESS", bus.address());
            String coffer = install.resolve("bin/coffer").toString();
            output(agentEnv, null, coffer, "--no-agent", "keyring:use", "plaintext");
            ProcessBuilder service = new ProcessBuilder(coffer, "--secret-service", "run");
            service.environment().putAll(agentEnv);
            service.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process agent = service.start();
            try {
                java.io.BufferedReader said = new java.io.BufferedReader(new java.io.InputStreamReader(
                        agent.getInputStream(), StandardCharsets.UTF_8));
                for (String line = said.readLine(); line != null && !line.contains("coffer: running");
                        line = said.readLine()) {
                    System.out.println(line);
                }
                for (Map<String, String> env : List.of(gnomeEnv, cofferEnv)) {
                    output(env, null, PYTHON, "-c", "import keyring; keyring.set_password('svc', 'bob', 'value')");
                }
                List<Double> gnomeCalls = new ArrayList<>();
                List<Double> cofferCalls = new ArrayList<>();
                List<Long> gnomeTool = new ArrayList<>();
                List<Long> cofferTool = new ArrayList<>();
                List<Long> gnomeCli = new ArrayList<>();
                List<Long> cofferCli = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    gnomeCalls.add(Double.parseDouble(output(gnomeEnv, null, PYTHON, "-c", IN_PYTHON, "20").strip()));
                    cofferCalls.add(Double.parseDouble(output(cofferEnv, null, PYTHON, "-c", IN_PYTHON, "20").strip()));
                    gnomeTool.add(millis(gnomeEnv, "/usr/bin/secret-tool", "lookup", "service", "svc", "username", "bob"));
                    cofferTool.add(millis(cofferEnv, "/usr/bin/secret-tool", "lookup", "service", "svc", "username", "bob"));
                    gnomeCli.add(millis(gnomeEnv, PYTHON, "-m", "keyring", "get", "svc", "bob"));
                    cofferCli.add(millis(cofferEnv, PYTHON, "-m", "keyring", "get", "svc", "bob"));
                }
                System.out.printf("%d rounds, alternating; medians; ratio = Coffer / gnome-keyring%n", runs);
                System.out.printf("keyring.get_password in one Python  gnome-keyring %6.2f ms  Coffer %6.2f ms  ratio %.2f%n",
                        median(gnomeCalls), median(cofferCalls), median(cofferCalls) / median(gnomeCalls));
                System.out.printf("secret-tool lookup (process)        gnome-keyring %6d ms  Coffer %6d ms  ratio %.2f%n",
                        median(gnomeTool), median(cofferTool), median(cofferTool) / (double) median(gnomeTool));
                System.out.printf("python3 -m keyring get (process)    gnome-keyring %6d ms  Coffer %6d ms  ratio %.2f%n",
                        median(gnomeCli), median(cofferCli), median(cofferCli) / (double) median(gnomeCli));
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    private static Map<String, String> python(SecretServiceDaemon daemon) {
        Map<String, String> env = new HashMap<>(daemon.environment());
        env.put("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring");
        return env;
    }

    private static String output(Map<String, String> env, String stdin, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return out;
    }

    private static long millis(Map<String, String> env, String... command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        output(env, null, command);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
