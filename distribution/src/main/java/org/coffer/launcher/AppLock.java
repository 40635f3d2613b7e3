package org.coffer.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One Coffer at a time per app.config, as Resilient Circuits has it: when an app.config
 * is in use ({@code APP_CONFIG_FILE}, {@code ./app.config} or
 * {@code ~/.resilient/app.config}), the lock file {@code APP_LOCK_FILE} (default
 * {@code ~/.resilient/resilient_circuits_lockfile}) is held while Coffer runs.
 */
final class AppLock {

    private static final long WAIT_MILLIS = 1000;

    /** Held until the process ends. */
    private static FileLock held;

    private AppLock() {
    }

    /**
     * @param env the environment
     * @param err where to say that another instance holds the lock
     * @return false if another instance holds it
     */
    static boolean acquire(Map<String, String> env, PrintStream err) throws IOException, InterruptedException {
        Path home = new org.coffer.client.Places(env).home();
        String configured = env.get("APP_CONFIG_FILE");
        boolean appConfig = (configured != null && !configured.isBlank()) || Files.isRegularFile(Path.of("app.config"))
                || Files.isRegularFile(home.resolve(".resilient/app.config"));
        if (!appConfig) {
            return true;
        }
        String lockName = env.get("APP_LOCK_FILE");
        Path lockFile = lockName != null && !lockName.isBlank() ? Path.of(lockName)
                : home.resolve(".resilient").resolve("resilient_circuits_lockfile");
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                held = lock;
                return true;
            }
            Thread.sleep(50);
        }
        channel.close();
        err.println("coffer: Failed to acquire lock on " + lockFile + ": another instance may be running");
        return false;
    }
}
