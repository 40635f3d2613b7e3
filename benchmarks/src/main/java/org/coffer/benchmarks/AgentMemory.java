package org.coffer.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coffer.client.Places;
import org.coffer.client.Wire;

/**
 * The agent's resident memory over many commands: starts {@code bin/coffer run}, sends
 * gets over its socket as {@code bin/coffer} does (without a JVM start each, so 10,000
 * take seconds), and compares the agent's VmRSS after a warm-up with that at the end.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.coffer.benchmarks.AgentMemory distribution/target/coffer [gets]</pre>
 */
public final class AgentMemory {

    private AgentMemory() {
    }

    public static void main(String[] args) throws Exception {
        Path install = Path.of(args.length > 0 ? args[0] : "distribution/target/coffer").toAbsolutePath().normalize();
        int gets = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Map<String, String> env = ScratchUser.environment("memory", "memory");
        String coffer = install.resolve("bin/coffer").toString();
        ProcessBuilder set = new ProcessBuilder(coffer, "keyring:set", "svc", "bob");
        set.environment().putAll(env);
        Process setting = set.start();
        setting.getOutputStream().write("value\n".getBytes(StandardCharsets.UTF_8));
        setting.getOutputStream().close();
        if (setting.waitFor() != 0) {
            throw new IllegalStateException("keyring:set failed: " + new String(setting.getErrorStream().readAllBytes()));
        }
        ProcessBuilder service = new ProcessBuilder(coffer, "run");
        service.environment().putAll(env);
        service.redirectErrorStream(true);
        Process agent = service.start();
        agent.getOutputStream().write("memory\n".getBytes(StandardCharsets.UTF_8));
        agent.getOutputStream().close();
        try {
            Map<String, String> all = new HashMap<>(System.getenv());
            all.putAll(env);
            Path socket = new Places(all).socket();
            String fingerprint = Wire.fingerprint(install.toString(), all);
            for (int tries = 0; !Files.exists(socket); tries++) {
                if (tries > 600 || !agent.isAlive()) {
                    throw new IllegalStateException("the agent did not start");
                }
                Thread.sleep(100); // polling: the socket appearing is the agent's sign of readiness
            }
            for (int i = 0; i < 1000; i++) {
                get(socket, fingerprint);
            }
            long before = rss(agent.pid());
            long start = System.nanoTime();
            for (int i = 0; i < gets; i++) {
                get(socket, fingerprint);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long after = rss(agent.pid());
            System.out.printf("%d gets through the agent's socket in %d ms (%.2f ms each)%n", gets, millis,
                    millis / (double) gets);
            System.out.printf("agent VmRSS after 1,000 gets %d KiB, after %d more %d KiB: %+.1f%%%n", before, gets,
                    after, 100.0 * (after - before) / before);
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    private static void get(Path socket, String fingerprint) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            new Wire.Request(Wire.COMMAND, List.of("keyring:get", "svc", "bob"), Map.of(), "/", false, fingerprint)
                    .write(out);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            while (true) {
                byte type = in.readByte();
                if (type == Wire.OUT || type == Wire.ERR) {
                    output.write(Wire.readBytes(in));
                } else if (type == Wire.EXIT) {
                    int status = in.readInt();
                    if (status != 0 || !"value\n".equals(output.toString(StandardCharsets.UTF_8))) {
                        throw new IllegalStateException("a get answered " + status + ": " + output);
                    }
                    return;
                } else {
                    throw new IllegalStateException("unexpected frame " + type);
                }
            }
        }
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
