package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.coffer.Secret;
import org.osgi.framework.Bundle;

/**
 * What the {@code *SwapIT} tests share: the keyring files at the bottom of the chain, the
 * same value in the backend on top and the one below, and readers that read it while the
 * top backend's bundle stops and starts. A swap is seamless when none of their reads fails.
 */
final class SwapFixture {

    private final CofferSupport test;

    SwapFixture(CofferSupport test) {
        this.test = test;
    }

    /** The plaintext keyring on the folder's {@code keyring_pass.cfg}, ranked 50: the bottom of every swap. */
    void plaintextIn(Path dir) throws IOException {
        test.configurePlaintext(CofferSupport.PLAINTEXT_PID, "plaintext", dir.resolve("keyring_pass.cfg"), 50);
    }

    /** The cryptfile keyring on the folder's {@code cryptfile_pass.cfg}, once the provider lists it there. */
    void cryptfileIn(Path dir) throws IOException {
        org.osgi.service.cm.Configuration configuration =
                test.configurationAdmin.getConfiguration("org.coffer.backend.cryptfile", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("file", dir.resolve("cryptfile_pass.cfg").toString());
        configuration.update(properties);
        CofferSupport.await("cryptfile on its file", () -> test.admin.backends().stream()
                .anyMatch(b -> b.name().equals("cryptfile") && b.description().contains(dir.toString())));
    }

    /**
     * The same value in the backend on top and in the one below it, written through the
     * provider with each in turn chosen; the choice is automatic again afterwards.
     */
    void sameValueIn(String top, String below, String service, String username, String value) {
        test.provider.set(service, username, Secret.of(value));
        test.admin.use(below);
        test.provider.set(service, username, Secret.of(value));
        test.admin.useAutomatic();
        assertEquals(top, test.activeName());
    }

    /**
     * Stops and starts the bundle that many times while readers read the value that the
     * backends above and below hold alike: none of the reads fails or answers anything else.
     *
     * @param whileStopped what to look at each time the bundle is stopped, before it starts again
     * @return the reads, for a test that asks more of them
     */
    ReadLoad swapWhileReading(Bundle bundle, int swaps, int readers, String service, String username, String value,
            Runnable whileStopped) throws Exception {
        ReadLoad load = readWhile(service, username, value, readers, () -> {
            for (int i = 0; i < swaps; i++) {
                bundle.stop();
                whileStopped.run();
                bundle.start();
            }
        });
        assertTrue("failed reads: " + load.failures.size() + " of " + load.reads.get() + ", first: "
                + load.failures.peek(), load.failures.isEmpty());
        assertTrue("readers kept reading", load.reads.get() > 0);
        return load;
    }

    /** A change made while readers read, such as a backend's bundle stopped and started. */
    interface Change {
        void run() throws Exception;
    }

    /**
     * Reads one entry from {@code readers} threads for as long as {@code change} runs.
     *
     * @return every read that failed or did not answer {@code expected}, and the number of reads
     */
    ReadLoad readWhile(String service, String username, String expected, int readers, Change change)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ReadLoad load = new ReadLoad();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    try {
                        String read = test.provider.get(service, username).map(Secret::reveal).orElse("<nothing>");
                        if (!expected.equals(read)) {
                            load.failures.add("wrong read: " + read);
                        }
                    } catch (RuntimeException e) {
                        load.failures.add(e.toString());
                    }
                    load.reads.incrementAndGet();
                }
            }, "reader-" + i);
            threads.add(reader);
            reader.start();
        }
        try {
            change.run();
        } finally {
            running.set(false);
            for (Thread reader : threads) {
                reader.join(30_000);
            }
        }
        return load;
    }

    /** What the readers of {@link #readWhile} met. */
    static final class ReadLoad {
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong reads = new AtomicLong();
    }
}
